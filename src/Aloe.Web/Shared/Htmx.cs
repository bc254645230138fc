namespace Aloe.Web.Shared;

/// <summary>Reads and writes the htmx headers (https://htmx.org/reference/#headers).</summary>
public static class Htmx
{
    public static bool IsHtmx(this HttpRequest request) => request.Headers.ContainsKey("HX-Request");

    /// <summary>Tells htmx to fire a client-side event after the swap (e.g. to refresh another region).</summary>
    public static void Trigger(this HttpResponse response, string eventName) => response.Headers["HX-Trigger"] = eventName;

    /// <summary>Tells htmx to navigate the whole page (named apart from HttpResponse.Redirect, which would win overload resolution).</summary>
    public static void HtmxRedirect(this HttpResponse response, string url) => response.Headers["HX-Redirect"] = url;
}
