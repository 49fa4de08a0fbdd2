using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ValueBot.Web.Persistence.Migrations;

namespace ValueBot.Web.Persistence;

/// <summary>
/// Applies the hand-written migrations (EF Core's design-time tooling is not available here). Keeps the applied
/// versions in <c>schema_migrations</c>; each migration runs in one transaction, so a failure leaves the database at
/// the previous version. On PostgreSQL an advisory lock lets several instances start at once safely.
/// </summary>
public sealed partial class SchemaMigrator(DatabaseOptions database, ILogger<SchemaMigrator> logger)
{
    /// <summary>Every migration, in order. Append only.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new M0001_Installations(),
        new M0002_Registry(),
        new M0003_PolicyOverrides(),
        new M0004_Outbox(),
        new M0005_Digests(),
        new M0006_Schedule(),
        new M0010_Delivery(),
        new M0011_DropOldScheduler(),
        new M0012_AnswerRevisions(),
        new M0015_CheckInAgenda(),
        new M0016_WeeklyFigures(),
        new M0013_Evidence(),
        new M0014_PortfolioFingerprint(),
    ];

    private const long AdvisoryLockKey = 0x56616C7565426F74; // "ValueBot"

    public static int LatestVersion => All.Max(m => m.Version);

    /// <summary>Brings the schema up to <paramref name="targetVersion"/> (default: the latest).</summary>
    public async Task<int> MigrateAsync(int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var target = targetVersion ?? LatestVersion;
        await using var connection = OpenConnection();
        await connection.OpenAsync(cancellationToken);
        if (database.Engine == DatabaseEngine.Sqlite)
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        }
        else
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        }

        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """, cancellationToken);
            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            var newest = applied.Count == 0 ? 0 : applied.Max();
            if (newest > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The database schema is at version {newest}, newer than this build of ValueBot knows ({LatestVersion}). Deploy the newer build.");
            }

            foreach (var migration in All.Where(m => m.Version <= target && !applied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                foreach (var statement in migration.Up(database.Engine))
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken);
                }

                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @a)";
                    AddParameter(record, "@v", migration.Version);
                    AddParameter(record, "@n", migration.Name);
                    AddParameter(record, "@a", DateTime.UtcNow.ToString("O"));
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                Log.Applied(logger, migration.Version, migration.Name, database.Engine);
            }

            var now = await AppliedVersionsAsync(connection, cancellationToken);
            return now.Count == 0 ? 0 : now.Max();
        }
        finally
        {
            if (database.Engine == DatabaseEngine.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    private DbConnection OpenConnection() => database.Engine == DatabaseEngine.Postgres
        ? new NpgsqlConnection(database.ConnectionString)
        : new SqliteConnection(database.ConnectionString);

    private static async Task<HashSet<int>> AppliedVersionsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) on {Engine}")]
        public static partial void Applied(ILogger logger, int version, string name, DatabaseEngine engine);
    }
}
