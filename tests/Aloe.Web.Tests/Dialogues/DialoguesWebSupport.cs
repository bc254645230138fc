using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Testing;
using Aloe.Testing.Dialogues;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Tests.Dialogues;

/// <summary>The web app with a scripted model and two fixed personas; dialogues are seeded straight into its database.</summary>
public sealed class DialoguesWebFactory : AloeWebFactory
{
    public ScriptedLlmGateway Llm { get; } = new ScriptedLlmGateway().ScriptTurns();

    public DialoguesWebFactory() => ConfigureTestServices = services =>
    {
        services.AddSingleton<ILlmGateway>(Llm);
        services.AddSingleton<IDialoguePersonaSource>(new FixedPersonaSource(DialogueScripts.Nurse, DialogueScripts.Trader));
    };
}

internal static class DialogueSeed
{
    /// <summary>A run with one completed three-turn dialogue (turn 2 swapped by the verifier) and one failed dialogue; its build job logged 3 role-play and 3 preferred calls.</summary>
    public static async Task<(DialogueRun Run, Dialogue Completed, Dialogue Failed)> SeedAsync(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AloeDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var job = new JobRun { Kind = "dialogues.build", Title = "Dialogues: Seeded run", Status = JobStatus.Succeeded };
        db.Add(job);
        await db.SaveChangesAsync();
        var run = new DialogueRun { Title = "Seeded run", PersonaPool = "fixed test personas", MaxTurns = 3, Verify = true, JobRunId = job.Id,
            Provenance = new() { Seed = 5, Roles = { ["Preferred"] = new("openai", "gpt-test", 0.7f, 300) }, PromptHashes = { ["induction"] = "abc123" }, AppVersion = "1.2.3+test" } };
        db.Add(run);
        db.AddRange(Enumerable.Range(0, 6).Select(i => new LlmCall
        {
            Role = i < 3 ? LlmRole.RolePlay : LlmRole.Preferred, RunId = job.Id, Endpoint = "fake", Model = "gpt-test",
            InputTokens = 100, OutputTokens = 20, Cost = 0.25, LatencyMs = 50,
        }));
        await db.SaveChangesAsync();
        var completed = new Dialogue { RunId = run.Id, PersonaKey = "gardener", Profile = "A retired teacher in Leeds who grows cherry tomatoes.", Personality = "Patient and curious.", Status = DialogueStatus.Completed, Turns = 3 };
        var failed = new Dialogue { RunId = run.Id, PersonaKey = "pilot", Profile = "A cargo pilot.", Personality = "Terse.", Status = DialogueStatus.Failed, Turns = 0, Error = "Turn 1, Induction: no labels (failed 3 times)" };
        db.AddRange(completed, failed);
        await db.SaveChangesAsync();
        DialogueTurn? parent = null;
        for (var i = 1; i <= 3; i++)
        {
            var turn = new DialogueTurn
            {
                DialogueId = completed.Id, ParentId = parent?.Id, ParentBranch = parent?.Chosen, Index = i,
                UserMessage = $"Gardening message {i}", Preferred = $"Tailored answer {i} about tomatoes", Rejected = $"Generic answer {i}",
                InferredProfile = i == 1 ? null : "grows cherry tomatoes", InferredPersonality = i == 3 ? "curious" : null,
                Verified = true, Swapped = i == 2, Chosen = i == 1 ? Branch.Rejected : Branch.Preferred,
            };
            db.Add(turn);
            await db.SaveChangesAsync();
            parent = turn;
        }
        return (run, completed, failed);
    }
}
