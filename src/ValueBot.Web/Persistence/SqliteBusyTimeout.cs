using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ValueBot.Web.Persistence;

/// <summary>
/// Sets SQLite's own busy timeout on every connection EF Core opens. Without it a write that finds another writer
/// holding the lock (the outbox sender, say) is retried by Microsoft.Data.Sqlite after a fixed 150 ms sleep; with
/// it SQLite retries in 1–100 ms steps and the write goes through as soon as the lock is free.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public const string Pragma = "PRAGMA busy_timeout = 30000";

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
