using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Hosting;

/// <summary>Bad input to the JSON API gets a 4xx problem (RFC 7807) with a message (audit, issue 14, item 8).</summary>
public sealed class ApiProblemsTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task AQueryValueThatIsNotANumberIsA400NamingTheParameter()
    {
        var problem = await Problem(await factory.CreateClient().GetAsync("/api/benchmark/compare?runs=abc"), HttpStatusCode.BadRequest);
        Assert.Contains("runs", problem.GetProperty("detail").GetString());
        Assert.Contains("abc", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AWrongContentTypeIsA400ProblemNamingTheTypeToSend()
    {
        var response = await factory.CreateClient().PostAsync("/api/benchmark/runs", new StringContent("evaluatedModel=m", Encoding.UTF8, "text/plain"));
        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/plain", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsA400()
    {
        var response = await factory.CreateClient().PostAsync("/api/benchmark/runs", new StringContent("{not json", Encoding.UTF8, "application/json"));
        await Problem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AModelNameOverTheLimitIsA400SayingTheLimit()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/benchmark/runs", new { evaluatedModel = new string('m', 100_000), turns = 2 });
        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("the limit is 200", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownIdUnderTheApiIsA404ProblemNotTheNotFoundPage()
    {
        var response = await factory.CreateClient().GetAsync("/api/dialogues/424242");
        await Problem(response, HttpStatusCode.NotFound);
        // Pages keep their page.
        var page = await factory.CreateClient().GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
