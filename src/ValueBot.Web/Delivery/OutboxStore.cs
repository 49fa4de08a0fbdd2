using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Delivery;

/// <summary>A message claimed by one sender under a lease.</summary>
internal sealed record ClaimedMessage(
    long Id,
    string DedupeKey,
    string Kind,
    string? TenantId,
    string ServiceUrl,
    string ConversationId,
    string ActivityJson,
    string? UpdateActivityId,
    int Attempts,
    DateTime? ExpiresAt,
    DateTime CreatedAt);

/// <summary>What is waiting in the outbox: unfinished messages, the oldest one's queue time, and the longest-due Pending one.</summary>
public sealed record OutboxBacklog(int Unfinished, DateTime? OldestQueuedAt, DateTime? OldestDueAt);

/// <summary>
/// The sender's SQL on <c>outbox_messages</c>. PostgreSQL: short statements on their own connections, each its own
/// transaction. SQLite (one writer): every write of the sender goes through <see cref="SqliteWriteQueue"/>, which
/// commits whatever is waiting in one transaction, so a fan-out costs about one write transaction per send instead of
/// three, and the sender's writes never wait on each other's locks.
/// </summary>
internal sealed class OutboxStore(DatabaseOptions database) : IDisposable
{
    private readonly SqliteWriteQueue? _sqlite = database.Engine == DatabaseEngine.Sqlite ? new SqliteWriteQueue(database.ConnectionString) : null;

    private const string Columns = "id, dedupe_key, kind, tenant_id, service_url, conversation_id, activity_json, update_activity_id, attempts, expires_at, created_at";

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages — Pending and due, or Sending with an expired lease (a
    /// crashed sender's) that never went on the wire or only updates in place — for <paramref name="owner"/> until <paramref name="leaseUntil"/>, counting one attempt.
    /// PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so concurrent instances claim disjoint rows. SQLite: one
    /// <c>UPDATE … RETURNING</c>, atomic because SQLite has a single writer.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string owner, DateTime now, DateTime leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var lockClause = database.Engine == DatabaseEngine.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE outbox_messages
            SET state = 'Sending', lease_owner = @owner, lease_until = @lease_until, attempts = attempts + 1, on_wire_at = NULL, updated_at = @now
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE (state = 'Pending' AND next_attempt_at <= @now)
                    OR (state = 'Sending' AND lease_until < @now AND (on_wire_at IS NULL OR update_activity_id IS NOT NULL))
                ORDER BY next_attempt_at, id
                LIMIT @limit
                {lockClause})
            RETURNING {Columns}
            """;
        return await ReadWriteAsync(sql, cancellationToken, ("@owner", owner), ("@lease_until", leaseUntil), ("@now", now), ("@limit", limit));
    }

    /// <summary>
    /// Notes that this attempt's request is about to go to the connector. False when this sender no longer holds
    /// the lease (another instance took the message over): then it must not send.
    /// </summary>
    public async Task<bool> MarkOnWireAsync(long id, string owner, DateTime now, CancellationToken cancellationToken) =>
        await ExecuteAsync(durable: true, """
            UPDATE outbox_messages SET on_wire_at = @now, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'Sending'
            """, cancellationToken, ("@id", id), ("@owner", owner), ("@now", now)) == 1;

    /// <summary>
    /// New posts whose sender died after putting them on the wire (lease expired, no result stored) end InDoubt
    /// instead of being posted again. Updates in place are simply repeated by <see cref="ClaimAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> SettleInDoubtAsync(DateTime now, CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE outbox_messages SET state = 'InDoubt', lease_owner = NULL, lease_until = NULL, updated_at = @now,
                last_error = 'The sender stopped after handing the message to the connector; it may or may not have arrived.'
            WHERE state = 'Sending' AND lease_until < @now AND on_wire_at IS NOT NULL AND update_activity_id IS NULL
            RETURNING {Columns}
            """;
        return await ReadWriteAsync(sql, cancellationToken, ("@now", now));
    }

    /// <summary>Teams accepted the message. Written whoever holds the lease now: the send happened.</summary>
    public Task<int> MarkSentAsync(long id, string? activityId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE outbox_messages SET state = 'Sent', sent_activity_id = @activity_id, lease_owner = NULL, lease_until = NULL,
                last_error = NULL, error_code = NULL, updated_at = @now
            WHERE id = @id
            """, cancellationToken, ("@id", id), ("@activity_id", activityId), ("@now", now));

    /// <summary>Finishes the message as Undeliverable, Failed, InDoubt or Withdrawn, if this sender still holds it.</summary>
    public Task<int> FinishAsync(long id, string owner, OutboxState state, string? error, string? errorCode, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE outbox_messages SET state = @state, last_error = @error, error_code = @code, lease_owner = NULL, lease_until = NULL, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'Sending'
            """, cancellationToken, ("@id", id), ("@owner", owner), ("@state", state.ToString()), ("@error", error), ("@code", errorCode), ("@now", now));

    /// <summary>
    /// Teams will not take messages for this conversation (the user blocked the bot, an admin disabled it…): every
    /// other message still waiting for it ends Undeliverable with the same reason instead of being tried in turn.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> StopConversationAsync(string conversationId, string? error, string? errorCode, DateTime now, CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE outbox_messages SET state = 'Undeliverable', last_error = @error, error_code = @code, lease_owner = NULL, lease_until = NULL, updated_at = @now
            WHERE conversation_id = @conversation AND state = 'Pending'
            RETURNING {Columns}
            """;
        return await ReadWriteAsync(sql, cancellationToken, ("@conversation", conversationId), ("@error", error), ("@code", errorCode), ("@now", now));
    }

    /// <summary>
    /// Hands the message back as Pending, due at <paramref name="due"/>. <paramref name="refundAttempt"/> undoes the
    /// claim's attempt count (for throttling and shutdown, which say nothing about the message itself).
    /// </summary>
    public Task<int> RescheduleAsync(long id, string owner, DateTime due, string? error, bool refundAttempt, DateTime now, CancellationToken cancellationToken, string? errorCode = null) =>
        ExecuteAsync($"""
            UPDATE outbox_messages SET state = 'Pending', next_attempt_at = @due, last_error = COALESCE(@error, last_error), error_code = COALESCE(@code, error_code),
                lease_owner = NULL, lease_until = NULL, on_wire_at = NULL, updated_at = @now{(refundAttempt ? ", attempts = attempts - 1" : "")}
            WHERE id = @id AND lease_owner = @owner AND state = 'Sending'
            """, cancellationToken, ("@id", id), ("@owner", owner), ("@due", due), ("@error", error), ("@code", errorCode), ("@now", now));

    /// <summary>
    /// One heartbeat, in one transaction: extends the leases of the messages this sender is working on (a live
    /// sender's rows are not taken over, while a row it lost track of, or a dead sender's, is once its short lease
    /// ends), notes this sender alive, forgets senders gone for an hour, and returns how many senders were seen since
    /// <paramref name="aliveSince"/> (itself included). One transaction rather than four: on SQLite each is a commit
    /// through the one writer, and a heartbeat that lags because of them makes the other instances count this one dead.
    /// </summary>
    public Task<int> HeartbeatAsync(string sender, IReadOnlyCollection<long> working, DateTime leaseUntil, DateTime now, DateTime aliveSince, CancellationToken cancellationToken) =>
        TransactAsync(async (connection, transaction) =>
        {
            if (working.Count > 0)
            {
                await RunAsync(connection, transaction, $"""
                    UPDATE outbox_messages SET lease_until = @lease_until, updated_at = @now
                    WHERE lease_owner = @owner AND state = 'Sending' AND id IN ({string.Join(',', working.Select(id => id.ToString(CultureInfo.InvariantCulture)))})
                    """, ("@owner", sender), ("@lease_until", leaseUntil), ("@now", now));
            }

            await RunAsync(connection, transaction, """
                INSERT INTO outbox_senders (sender, seen_at) VALUES (@sender, @now)
                ON CONFLICT (sender) DO UPDATE SET seen_at = @now
                """, ("@sender", sender), ("@now", now));
            await RunAsync(connection, transaction, "DELETE FROM outbox_senders WHERE seen_at < @old", ("@old", now.AddHours(-1)));
            await using var count = Command(connection, "SELECT COUNT(*) FROM outbox_senders WHERE seen_at > @since", ("@since", aliveSince));
            count.Transaction = transaction;
            return Math.Max(1, Convert.ToInt32(await count.ExecuteScalarAsync(CancellationToken.None), CultureInfo.InvariantCulture));
        }, cancellationToken);

    /// <summary>A stopping sender leaves, so the others take its share of the rate at once.</summary>
    public Task<int> LeaveAsync(string sender, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM outbox_senders WHERE sender = @sender", cancellationToken, ("@sender", sender));

    /// <summary>Messages not finished yet (Pending or Sending), and when the oldest of them was queued.</summary>
    public async Task<OutboxBacklog> BacklogAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT COUNT(*), MIN(created_at), MIN(CASE WHEN state = 'Pending' AND next_attempt_at <= @now THEN next_attempt_at END)
            FROM outbox_messages WHERE state IN ('Pending', 'Sending')
            """, ("@now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxBacklog(
            Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? null : Utc(reader.GetValue(1)),
            reader.IsDBNull(2) ? null : Utc(reader.GetValue(2)));
    }

    private static DateTime Utc(object value) => value switch
    {
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        string text => DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
        _ => throw new InvalidCastException($"Not a timestamp: {value}"),
    };

    private static async Task<List<ClaimedMessage>> ReadClaimedAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var claimed = new List<ClaimedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedMessage(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                Convert.ToInt32(reader.GetValue(8), CultureInfo.InvariantCulture),
                reader.IsDBNull(9) ? null : Utc(reader.GetValue(9)),
                Utc(reader.GetValue(10))));
        }

        return claimed;
    }

    /// <summary>Several statements in one transaction: the write queue's (SQLite) or its own on one connection (PostgreSQL).</summary>
    private async Task<T> TransactAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_sqlite is not null)
        {
            return await _sqlite.RunAsync(durable: false, (connection, transaction) => work(connection, transaction), cancellationToken);
        }

        await using var server = await OpenAsync(cancellationToken);
        await using var own = await server.BeginTransactionAsync(cancellationToken);
        var result = await work(server, own);
        await own.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<int> RunAsync(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ExecuteAsync(durable: false, sql, cancellationToken, parameters);

    private async Task<int> ExecuteAsync(bool durable, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        if (_sqlite is not null)
        {
            return await _sqlite.RunAsync(durable, async (connection, transaction) =>
            {
                await using var queued = Command(connection, sql, parameters);
                queued.Transaction = transaction;
                return await queued.ExecuteNonQueryAsync(CancellationToken.None);
            }, cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An <c>UPDATE … RETURNING</c> of outbox rows, in its own transaction (PostgreSQL) or the write queue's (SQLite).</summary>
    private async Task<IReadOnlyList<ClaimedMessage>> ReadWriteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        if (_sqlite is not null)
        {
            return await _sqlite.RunAsync(durable: false, async (connection, transaction) =>
            {
                await using var queued = Command(connection, sql, parameters);
                queued.Transaction = transaction;
                return await ReadClaimedAsync(queued, CancellationToken.None);
            }, cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        var rows = await ReadClaimedAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>A connection for reads (and, on PostgreSQL, writes). SQLite readers wait out a writer instead of sleeping 150 ms.</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (database.Engine == DatabaseEngine.Postgres)
        {
            var server = new NpgsqlConnection(database.ConnectionString);
            await server.OpenAsync(cancellationToken);
            return server;
        }

        var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = SqliteWriteQueue.BusyTimeout;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public void Dispose() => _sqlite?.Dispose();

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value switch
            {
                null => DBNull.Value,
                DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
                _ => value,
            };
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
