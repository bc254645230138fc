using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aloe.Core.Data;

/// <summary>Provider errors that mean "try again": the write lost a race for a lock, not a constraint.</summary>
internal static class DatabaseErrors
{
    public static bool IsTransient(Exception exception) => exception.GetBaseException() switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };
}
