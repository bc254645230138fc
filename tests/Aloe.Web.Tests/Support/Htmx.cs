using System.Text.RegularExpressions;

namespace Aloe.Web.Tests.Support;

/// <summary>Sends requests as htmx does: with the page's antiforgery token in the header.</summary>
public static partial class HtmxClient
{
    /// <summary>Loads a page (setting the antiforgery cookie) and returns its csrf-token meta value.</summary>
    public static async Task<string> GetTokenAsync(this HttpClient client, string page = "/")
    {
        var html = await client.GetStringAsync(page);
        return TokenPattern().Match(html) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("No csrf-token meta tag on " + page);
    }

    public static async Task<HttpResponseMessage> HtmxPostAsync(this HttpClient client, string url, string token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content ?? new FormUrlEncodedContent([]) };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
