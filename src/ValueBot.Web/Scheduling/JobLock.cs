using Hangfire;
using Hangfire.Storage;
using Npgsql;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// Keeps a recurring job from running on two instances at once, with a lock that dies with its holder. On
/// PostgreSQL it is a session advisory lock on a connection of its own: an instance killed mid-run (kill -9, a lost
/// machine) ends its session and the lock with it, so the next occurrence on another instance runs at once.
/// (Hangfire.PostgreSql's own distributed lock — what <c>DisableConcurrentExecution</c> takes — is a row that a killed
/// holder leaves behind until its timeout.) On SQLite, which one instance uses, it is Hangfire's storage lock.
/// An occurrence that finds the lock taken is skipped, not queued: the next one comes within a tick.
/// </summary>
public sealed class JobLock(DatabaseOptions database, JobStorage storage)
{
    /// <summary>"VBot": the first key of ValueBot's job locks (the second is the job name's hash).</summary>
    private const int Namespace = 0x56426F74;

    /// <summary>The held lock, or null when another instance is running the job.</summary>
    public async Task<IAsyncDisposable?> TryTakeAsync(string job, CancellationToken cancellationToken)
    {
        if (database.Engine != DatabaseEngine.Postgres)
        {
            var connection = storage.GetConnection();
            try
            {
                return new StorageLock(connection, connection.AcquireDistributedLock($"valuebot:job:{job}", TimeSpan.FromSeconds(1)));
            }
            catch (DistributedLockTimeoutException)
            {
                connection.Dispose();
                return null;
            }
        }

        var session = new NpgsqlConnection(database.ConnectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, hashtext(@job))", session);
            command.Parameters.AddWithValue("ns", Namespace);
            command.Parameters.AddWithValue("job", job);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new AdvisoryLock(session, job);
            }
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        await session.DisposeAsync();
        return null;
    }

    private sealed class StorageLock(IStorageConnection connection, IDisposable held) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            held.Dispose();
            connection.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class AdvisoryLock(NpgsqlConnection session, string job) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Explicitly: a pooled connection's session would otherwise keep the lock after Close.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@ns, hashtext(@job))", session);
                command.Parameters.AddWithValue("ns", Namespace);
                command.Parameters.AddWithValue("job", job);
                await command.ExecuteScalarAsync();
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
    }
}
