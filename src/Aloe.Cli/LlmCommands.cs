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
        var llm = new Command("llm", "Language-model roles, endpoints and call statistics") { Roles(services), Ping(services), Stats(services) };
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
