using System.CommandLine;
using System.Globalization;
using Aloe.Core.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>`aloe llm roles | ping | stats`: the gateway's role map, one live call, and the call log's statistics.</summary>
internal static class LlmCommands
{
    public static Command Create(IServiceProvider services)
    {
        var llm = new Command("llm", "Language-model roles, endpoints and call statistics") { Roles(services), Ping(services), Stats(services), Budget(services) };
        return llm;
    }

    static Command Roles(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var command = new Command("roles", "Show which endpoint and model play each role") { json };
        command.SetAction(parse =>
        {
            var gateway = services.GetRequiredService<LlmGateway>();
            var roles = gateway.ResolveRoles().Select(r => new
            {
                Role = r.Key, r.Value.Endpoint, r.Value.Model, r.Value.Temperature, r.Value.MaxTokens, Simulated = gateway.IsSimulated(r.Key),
            }).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(output, roles);
                return;
            }
            CliOutput.WriteTable(output, ["ROLE", "ENDPOINT", "MODEL", "TEMPERATURE", "MAX TOKENS", ""],
                roles.Select(r => (IReadOnlyList<string>)[r.Role.ToString(), r.Endpoint, r.Model, r.Temperature.ToString("0.0#", CultureInfo.InvariantCulture),
                    r.MaxTokens.ToString(CultureInfo.InvariantCulture), r.Simulated ? "Simulated LLM - not a language model" : ""]));
            output.WriteLine($"Embedder: {gateway.EmbedderId}");
        });
        return command;
    }

    static Command Ping(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var role = new Option<LlmRole>("--role") { Description = "The role whose binding answers", DefaultValueFactory = _ => LlmRole.Judge };
        var message = new Argument<string>("message") { Description = "The user message to send" };
        var command = new Command("ping", "Send one message through the gateway (cached like any call) and show the reply") { role, message, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var gateway = services.GetRequiredService<LlmGateway>();
            var output = parse.InvocationConfiguration.Output;
            var asRole = parse.GetValue(role);
            try
            {
                var response = await gateway.CompleteAsync(new LlmRequest(asRole, [new ChatMessage(ChatRole.User, parse.GetValue(message)!)]), cancellationToken);
                await gateway.FlushAsync();
                if (parse.GetValue(json))
                {
                    CliOutput.WriteJson(output, new
                    {
                        Role = asRole, response.Text, response.Model, response.InputTokens, response.OutputTokens,
                        LatencyMs = Math.Round(response.Latency.TotalMilliseconds, 2), response.Cached, Simulated = gateway.IsSimulated(asRole),
                    });
                    return 0;
                }
                output.WriteLine(response.Text);
                output.WriteLine();
                output.WriteLine($"model {response.Model} · tokens {response.InputTokens} in / {response.OutputTokens} out · latency {response.Latency.TotalMilliseconds:0.0} ms · {(response.Cached ? "cached" : "not cached")}"
                    + (gateway.IsSimulated(asRole) ? " · Simulated LLM - not a language model" : ""));
                return 0;
            }
            catch (LlmCallException e)
            {
                await gateway.FlushAsync();
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    static Command Budget(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var run = new Argument<long>("run") { Description = "Job run id" };
        var usd = new Argument<double?>("usd") { Description = "New cap in US dollars (omit to show the budget; 'none' is not needed: a negative value is refused)", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the run's cap" };
        var command = new Command("budget", "Show, set or raise a run's spending cap; a run stopped at its cap resumes after it is raised") { run, usd, clear, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var budgets = services.GetRequiredService<LlmBudgetService>();
            var id = parse.GetValue(run);
            try
            {
                if (parse.GetValue(clear))
                    await budgets.SetAsync(id, null, cancellationToken);
                else if (parse.GetValue(usd) is { } cap)
                    await budgets.SetAsync(id, cap, cancellationToken);
            }
            catch (ArgumentException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
            var status = await budgets.GetAsync(id, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                CliOutput.WriteJson(output, status);
            else
                output.WriteLine(status.CapUsd is { } c
                    ? $"Run {id}: ${status.SpentUsd:0.####} spent of a ${c:0.####} cap{(status.Reached ? " (reached: raise it to resume)" : "")}."
                    : $"Run {id}: ${status.SpentUsd:0.####} spent, no cap.");
            return 0;
        });
        return command;
    }

    static Command Stats(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var run = new Option<long?>("--run") { Description = "Only calls of this job run" };
        var command = new Command("stats", "Calls, tokens, cost, cache hits, errors and latency per role, from the call log") { json, run };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stats = await services.GetRequiredService<LlmStatsService>().ByRoleAsync(parse.GetValue(run), cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(output, stats);
                return;
            }
            if (stats.Count == 0)
            {
                output.WriteLine("No calls logged yet.");
                return;
            }
            CliOutput.WriteTable(output, ["ROLE", "CALLS", "IN TOKENS", "OUT TOKENS", "COST USD", "CACHE HITS", "ERRORS", "P50 MS", "P95 MS"],
                stats.Select(s => (IReadOnlyList<string>)[s.Role.ToString(), N(s.Calls), N(s.InputTokens), N(s.OutputTokens), s.Cost.ToString("0.0000", CultureInfo.InvariantCulture),
                    N(s.CacheHits), N(s.Errors), Ms(s.P50LatencyMs), Ms(s.P95LatencyMs)]));
        });
        return command;
    }

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string Ms(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";
}
