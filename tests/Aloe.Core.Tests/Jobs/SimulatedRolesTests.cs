using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;

namespace Aloe.Core.Tests.Jobs;

/// <summary>The "(simulated)" label goes on the roles that were simulated only (audit, issue 14, item 6).</summary>
public sealed class SimulatedRolesTests
{
    static readonly RunProvenance RealModelSimulatedJudge = new()
    {
        Roles = new()
        {
            ["Judge"] = new("simulated", "sim-persona", 0, 300, Simulated: true),
            ["Evaluated"] = new("lab", "llama-3-8b", 0.7f, 2048),
            ["RolePlay"] = new("simulated", "sim-persona", 0.7f, 300, Simulated: true),
        },
    };

    [Fact]
    public void OnlyTheSimulatedRolesAreNamedInRoleOrder()
    {
        Assert.Equal(["RolePlay", "Judge"], RealModelSimulatedJudge.Simulated());
        Assert.Equal("", RealModelSimulatedJudge.Mark(LlmRole.Evaluated));
        Assert.Equal(" (simulated)", RealModelSimulatedJudge.Mark(LlmRole.Judge));
        Assert.Equal("Simulated: RolePlay, Judge", RealModelSimulatedJudge.Describe());
        Assert.Null(new RunProvenance { Roles = new() { ["Evaluated"] = new("lab", "m", 0, 10) } }.Describe());
    }

    [Fact]
    public void TheRunsJsonListsItsSimulatedRoles()
    {
        var run = new BenchmarkRun { Name = "n", EvaluatedModel = "llama-3-8b", EvaluatedEndpoint = "lab", CaseSet = "aloe", Simulated = true, Provenance = RealModelSimulatedJudge };
        var json = BenchmarkRunJson.From(run, null);
        Assert.Equal(["RolePlay", "Judge"], json.SimulatedRoles);
        Assert.Contains("\"simulated_roles\":[\"RolePlay\",\"Judge\"]", System.Text.Json.JsonSerializer.Serialize(json));
    }
}
