using System.Net;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Jobs;

public sealed class JobsApiTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    public async Task CancelOrRetryOfAnUnknownRunIsA404ProblemNamingIt(string action)
    {
        var client = factory.CreateClient();

        var response = await client.PostAsync($"/api/jobs/987654/{action}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Job run 987654 does not exist.", await response.Content.ReadAsStringAsync());
    }
}
