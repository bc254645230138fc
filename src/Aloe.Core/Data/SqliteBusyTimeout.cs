using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Aloe.Core.Data;

/// <summary>
/// Every SQLite connection waits inside SQLite for the write lock (busy_timeout: SQLite retries
/// after 1, 2, 5, 10 ... ms) instead of Microsoft.Data.Sqlite's own retry, which sleeps 150 ms per
/// SQLITE_BUSY: with three annotators saving at once that pause was the whole p95 tail of the
/// annotator page (docs/performance.md "Annotator page").
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();
    const string Pragma = "PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
