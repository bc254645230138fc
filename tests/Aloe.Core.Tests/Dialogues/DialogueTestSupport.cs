using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Testing;
using Aloe.Testing.Dialogues;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Dialogues;

internal static class DialogueTestSupport
{
    public static readonly DialoguePersona Nurse = DialogueScripts.Nurse;
    public static readonly DialoguePersona Trader = DialogueScripts.Trader;

    public static Task<TestHost> StartAsync(params DialoguePersona[] personas) => TestHost.StartAsync(b =>
    {
        b.AddDialogues();
        b.Services.AddSingleton<IDialoguePersonaSource>(new FixedPersonaSource(personas.Length == 0 ? [Nurse, Trader] : personas));
    });

    public static ScriptedLlmGateway ScriptTurns(this ScriptedLlmGateway llm, string verdict = "A") => DialogueScripts.ScriptTurns(llm, verdict);

    public static string LastUser(Aloe.Core.Llm.LlmRequest r) => DialogueScripts.LastUser(r);

    public static async Task<(DialogueRun Run, JobRun Job)> BuildAsync(this TestHost host, int turns = 3, bool verify = true, int? personas = null, int seed = 7)
    {
        var started = await host.Get<DialogueConstruction>().StartBuildAsync(new BuildRequest(new PersonaSelection("train", personas, seed), turns, verify, Parallelism: 4));
        await host.Get<JobRunner>().ExecuteAsync(started.Job.Id, CancellationToken.None);
        return started;
    }

    public static async Task<DialogueTree> TreeAsync(this TestHost host, string personaKey)
    {
        var page = await host.Get<DialogueQueries>().ListAsync(new DialogueFilter(Persona: personaKey));
        return (await host.Get<DialogueQueries>().GetAsync(page.Rows.Single().Id))!.Value.Tree;
    }
}
