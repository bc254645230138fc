using System.CommandLine;
using Aloe.Cli;

// `aloe <feature> <verb> [--json]` over the same services and database as the web app.
using var host = CliHost.Build();
var services = host.Services;

var root = new RootCommand("ALOE Studio: persona pools, preference dialogues, benchmark and analysis for personalised alignment (Wu et al., COLING 2025).")
{
    JobsCommands.Create(services),
    JobsCommands.Worker(),
    DbCommands.Create(services),
    LlmCommands.Create(services),
    PersonasCommands.Create(services),
    DialoguesCommands.Create(services),
    BenchCommands.Create(services),
    BenchCommands.CreateMetrics(),
};

return await root.Parse(args).InvokeAsync();
