using Aloe.Core.Conversations;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Dialogues;

public static class DialoguesExtensions
{
    /// <summary>Preference dialogues (paper, section 2.1): construction and expansion jobs, queries, exports and import.</summary>
    public static IHostApplicationBuilder AddDialogues(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<RolePlayUser>();
        builder.Services.TryAddSingleton<IDialoguePersonaSource, PoolPersonaSource>();
        builder.Services.AddSingleton<DialogueTurnBuilder>();
        builder.Services.AddSingleton<DialogueConstruction>();
        builder.Services.AddSingleton<DialogueForecast>();
        builder.Services.AddSingleton<DialogueQueries>();
        builder.Services.AddSingleton<DialogueRemoval>();
        builder.Services.AddLlmCallLog();
        builder.Services.AddSingleton<DialogueExports>();
        builder.Services.AddSingleton<AloeConversations>();
        builder.Services.AddSingleton<IJobHandler, DialogueBuildJob>();
        builder.Services.AddSingleton<IJobHandler, DialogueBuildPartJob>();
        builder.Services.AddSingleton<IJobHandler, DialogueExpandJob>();
        return builder;
    }
}
