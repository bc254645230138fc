using System.CommandLine;
using Aloe.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

internal static class AuditCommands
{
    public static Command Create(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var actor = new Option<string?>("--user") { Description = "Only this actor's writes (a user name, 'local admin (loopback)', 'cli:<os user>' or 'system')" };
        var action = new Option<string?>("--action") { Description = "Only this action: " + string.Join(", ", AuditActions.All) };
        var limit = new Option<int>("--limit") { Description = "At most this many entries, newest first", DefaultValueFactory = _ => 100 };
        var list = new Command("list", "Who wrote what and when (the Activity list on the web app's Jobs page)") { json, actor, action, limit };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var rows = await services.GetRequiredService<AuditLog>().ListAsync(new AuditFilter(parse.GetValue(actor), parse.GetValue(action)), parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, rows);
                return;
            }
            if (rows.Count == 0)
            {
                Console.WriteLine("No writes recorded yet.");
                return;
            }
            CliOutput.WriteTable(Console.Out, ["ID", "AT (UTC)", "WHO", "ACTION", "TARGET", "DETAIL"],
                rows.Select(r => (IReadOnlyList<string>)[r.Id.ToString(), r.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), r.Actor, r.Action, $"{r.TargetType} {r.TargetId}".Trim(), r.Detail ?? ""]));
        });
        return new Command("audit", "The audit list: every write and who made it") { list };
    }
}
