using Aloe.Cli;

// `aloe <feature> <verb> [--json]` over the same services and database as the web app.
return await CliApp.RunAsync(args, Console.Error);
