using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ValueBot.Web.Delivery;

/// <summary>
/// The outbox sender's writes on SQLite, one at a time in this process and committed together: whatever is waiting
/// when the previous commit ends goes into the next transaction (group commit). SQLite has a single writer anyway;
/// queueing here instead of in SQLite's lock means no write waits on another of the sender's own, and a fan-out at
/// 50 sends/s costs about one transaction per send (its on-the-wire mark, carrying the claims and results queued
/// beside it) instead of three.
/// <para>
/// <b>Durability.</b> The database is in WAL mode. A transaction holding an on-the-wire mark commits with
/// <c>synchronous = FULL</c>: it is on disk before the request leaves (and so is every commit before it). Any other
/// transaction — claims, results, lease renewals — commits with <c>synchronous = NORMAL</c>: it survives a crash of
/// the process, but a power loss or kernel crash can lose the last of them. Each such loss is safe: a lost claim or
/// renewal leaves the row to be claimed again; a lost result of a request that went out leaves the row on the wire,
/// so after its lease it ends InDoubt and is never posted again (a loss the next reminder makes good, never a
/// duplicate). A write without an on-the-wire mark waits up to <see cref="Linger"/> for one to commit with.
/// </para>
/// </summary>
internal sealed class SqliteWriteQueue : IDisposable
{
    /// <summary>Wait for the lock in SQLite (1–100 ms steps) rather than in Microsoft.Data.Sqlite (150 ms sleeps).</summary>
    public const string BusyTimeout = ValueBot.Web.Persistence.SqliteBusyTimeout.Pragma;

    private const string Durable = "PRAGMA synchronous = FULL";
    private const string Relaxed = "PRAGMA synchronous = NORMAL";

    /// <summary>How long a batch of relaxed writes waits for more (an on-the-wire mark comes every 20 ms at 50/s).</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    private const int MaxBatch = 256;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;

    public SqliteWriteQueue(string connectionString)
    {
        _connectionString = connectionString;
        _ = Task.Run(DrainAsync);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the next transaction and returns its result once that transaction committed.
    /// <paramref name="durable"/>: commit with <c>synchronous = FULL</c>. A write cancelled before its turn is not run.
    /// </summary>
    public async Task<T> RunAsync<T>(bool durable, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new Write<T>(durable, work, cancellationToken);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue));
        }

        return await write.Done.Task.ConfigureAwait(false);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task DrainAsync()
    {
        var batch = new List<Write>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            Take(batch);
            if (batch.Count > 0 && !batch.Exists(w => w.Durable))
            {
                await WaitForMoreAsync(batch).ConfigureAwait(false);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
                batch.ForEach(w => w.Succeed());
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One write's failure must not fail the others: each on its own.
                foreach (var write in batch)
                {
                    await CommitAloneAsync(write).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                batch[0].Fail(e);
            }
        }
    }

    private async Task CommitAloneAsync(Write write)
    {
        try
        {
            await CommitAsync([write]).ConfigureAwait(false);
            write.Succeed();
        }
        catch (Exception e)
        {
            write.Fail(e);
        }
    }

    private void Take(List<Write> batch)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
        {
            if (write.Cancellation.IsCancellationRequested)
            {
                write.Cancel();
                continue;
            }

            batch.Add(write);
        }
    }

    private async Task WaitForMoreAsync(List<Write> batch)
    {
        using var linger = new CancellationTokenSource(Linger);
        try
        {
            while (batch.Count < MaxBatch && !batch.Exists(w => w.Durable) && await _queue.Reader.WaitToReadAsync(linger.Token).ConfigureAwait(false))
            {
                Take(batch);
            }
        }
        catch (OperationCanceledException) when (linger.IsCancellationRequested)
        {
            // Nothing more came: commit what there is.
        }
    }

    private async Task CommitAsync(IReadOnlyList<Write> batch)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = (batch.Any(w => w.Durable) ? Durable : Relaxed) + "; " + BusyTimeout;
            await pragma.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
        foreach (var write in batch)
        {
            await write.RunAsync(connection, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private abstract class Write(bool durable, CancellationToken cancellation)
    {
        public bool Durable { get; } = durable;

        public CancellationToken Cancellation { get; } = cancellation;

        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class Write<T>(bool durable, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellation)
        : Write(durable, cancellation)
    {
        private T? _result;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await work(connection, transaction).ConfigureAwait(false);

        public override void Succeed() => Done.TrySetResult(_result!);

        public override void Fail(Exception exception) => Done.TrySetException(exception);

        public override void Cancel() => Done.TrySetCanceled(Cancellation);
    }
}
