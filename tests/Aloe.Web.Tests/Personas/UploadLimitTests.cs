using System.Net;
using System.Text.RegularExpressions;
using Aloe.Web.Hosting;
using Aloe.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Aloe.Web.Tests.Personas;

/// <summary>The web app with a 4 KB upload limit, so that a test file can exceed it.</summary>
public sealed class SmallUploadFactory : AloeWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(ApiProblems.MaxUploadSetting, "4096");
    }
}

public sealed partial class UploadLimitTests(SmallUploadFactory factory) : IClassFixture<SmallUploadFactory>
{
    [Fact]
    public async Task AFileOverTheUploadLimitIsRefusedSayingTheLimitAndImportsNothing()
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/personas?tab=profiles");
        var token = Token().Match(page).Groups[1].Value;
        var big = string.Concat(Enumerable.Range(0, 200).Select(i => $"\"A profile of a fisherman number {i} who rows to work\"\n"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Profile"), "kind" },
            { new StringContent(big), "file", "big.jsonl" },
        };

        var response = await client.PostAsync("/personas/import", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than the limit of 4 KB", body);
        Assert.Contains("aloe personas import", body);
        Assert.DoesNotContain("fisherman number 3", await client.GetStringAsync("/personas?tab=profiles&q=fisherman"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
