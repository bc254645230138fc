using Aloe.Core.Jobs;
using Aloe.Web.Shared;
using Aloe.Web.Tests.Support;
using Bunit;

namespace Aloe.Web.Tests.Components;

public sealed class SharedComponentTests : MudComponentTest
{
    [Fact]
    public void PageHeaderNamesTheTabAfterThePage()
    {
        var header = Render<PageHeader>(p => p.Add(c => c.Title, "Jobs").Add(c => c.Subtitle, "Every background run."));

        Assert.Equal("Jobs", header.Find("h1").TextContent.Trim());
        Assert.Contains("Every background run.", header.Markup);
    }

    [Theory]
    [InlineData(JobStatus.Failed, "mud-chip-color-error")]
    [InlineData(JobStatus.Succeeded, "mud-chip-color-success")]
    [InlineData(JobStatus.Running, "mud-chip-color-info")]
    public void StatusBadgeColoursEachStatus(JobStatus status, string colourClass)
    {
        var badge = Render<StatusBadge>(p => p.Add(c => c.Status, status));

        Assert.Contains(colourClass, badge.Find(".mud-chip").ClassName);
        Assert.Contains(status.ToString(), badge.Markup);
    }

    [Fact]
    public void ProgressBarReportsItsValueToAssistiveTechnology()
    {
        var bar = Render<ProgressBar>(p => p.Add(c => c.Percent, 42.4).Add(c => c.Label, "Progress of run 7").Add(c => c.Message, "3 / 7"));

        var progress = bar.Find("[role=progressbar]");
        Assert.Equal("42.4", progress.GetAttribute("aria-valuenow"));
        Assert.Contains("42%", bar.Markup);
        Assert.Contains("3 / 7", bar.Markup);
    }

    [Fact]
    public void EmptyStateSaysWhatIsMissingAndWhatToDo()
    {
        var empty = Render<EmptyState>(p => p.Add(c => c.Title, "No runs yet").Add(c => c.Text, "Start one."));

        Assert.Equal("No runs yet", empty.Find("h2").TextContent.Trim());
        Assert.Contains("Start one.", empty.Markup);
    }
}
