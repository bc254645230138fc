using Aloe.Core.Annotation;
using Aloe.Core.Dialogues;
using Aloe.Testing.Annotation;
using Aloe.Web.Annotation;
using Aloe.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Aloe.Web.Tests.Annotation;

public sealed class CampaignFormTests() : HostedComponentTest(b => { b.AddDialogues(); b.AddAnnotation(); })
{
    [Fact]
    public async Task ThePairwiseFormMakesAnABCampaignFromTheChosenDialogueRun()
    {
        long runId;
        await using (var db = Host.Db())
            runId = await AnnotationTestData.SeedDialogueRunAsync(db, dialogues: 5, turns: 4);
        AnnotationCampaign? created = null;
        var form = Render<DialogueCampaignForm>(p => p.Add(f => f.OnCreated, EventCallback.Factory.Create<AnnotationCampaign>(this, c => created = c)));
        form.WaitForAssertion(() => Assert.Contains($"#{runId}", form.Markup));

        form.Find("#pairwise-items").Change("8");
        form.Find("#pairwise-create").Click();

        form.WaitForAssertion(() => Assert.NotNull(created));
        Assert.Equal((AnnotationTask.Pairwise, 2, runId), (created!.Task, created.ScaleMax, created.DialogueRunId));
        Assert.Equal(8, (await Host.Get<AnnotationService>().ListAsync()).Single().Items);
    }

    [Fact]
    public void TheCsvFormShowsTheFilesLineNumberedErrorsAndCreatesNothing()
    {
        AnnotationCampaign? created = null;
        var form = Render<CsvCampaignForm>(p => p.Add(f => f.OnCreated, EventCallback.Factory.Create<AnnotationCampaign>(this, c => created = c)));

        form.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "item,profile,personality,message,response,judge\nx1,A nurse,Warm,Hi,Fine,9\n", "items.csv"));
        form.WaitForAssertion(() => Assert.Contains("items.csv", form.Find("#csv-chosen").TextContent));
        form.Find("#csv-create").Click();

        form.WaitForAssertion(() => Assert.Contains("line 2", form.Find("#csv-error").TextContent));
        Assert.Null(created);
    }

    [Fact]
    public void TheCsvFormCreatesAPairwiseCampaignWhenTheFileHasASecondResponse()
    {
        AnnotationCampaign? created = null;
        var form = Render<CsvCampaignForm>(p => p.Add(f => f.OnCreated, EventCallback.Factory.Create<AnnotationCampaign>(this, c => created = c)));

        form.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "item,profile,personality,message,response,response_b\nx1,A nurse,Warm,Hi,Fine,Good thanks\nx2,A pilot,Terse,Hello,Hi,Hello there\n", "pairs.csv"));
        form.WaitForAssertion(() => Assert.Contains("pairs.csv", form.Find("#csv-chosen").TextContent));
        form.Find("#csv-create").Click();

        form.WaitForAssertion(() => Assert.NotNull(created));
        Assert.Equal(("pairs", AnnotationTask.Pairwise), (created!.Name, created.Task));
    }
}
