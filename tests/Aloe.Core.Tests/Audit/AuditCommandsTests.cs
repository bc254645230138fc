using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Core.Annotation;
using Aloe.Core.Audit;
using Aloe.Testing;
using Aloe.Testing.Annotation;

namespace Aloe.Core.Tests.Audit;

[Collection(ConsoleCollection.Name)]
public sealed class AuditCommandsTests
{
    [Fact]
    public async Task AuditListPrintsTheCliUsersWritesAsJson()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnnotation());
        long runId;
        await using (var db = host.Db())
            runId = await AnnotationTestData.SeedBenchmarkRunAsync(db);
        var root = new RootCommand { AnnotationCommands.Create(host.Services), AuditCommands.Create(host.Services) };
        AuditActor.Current = AuditActor.Cli();
        try
        {
            Assert.Equal(0, (await ConsoleCapture.RunAsync(root, ["annotation", "create", "--benchmark-run", runId.ToString(), "--json"])).Code);
            var (code, output, _) = await ConsoleCapture.RunAsync(root, ["audit", "list", "--action", "create", "--json"]);

            Assert.Equal(0, code);
            var entry = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
            Assert.Equal($"cli:{Environment.UserName}", entry.GetProperty("actor").GetString());
            Assert.Equal(("create", "campaign"), (entry.GetProperty("action").GetString(), entry.GetProperty("targetType").GetString()));
        }
        finally
        {
            AuditActor.Current = null;
        }
    }
}
