using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// A fresh, empty database for one test: a SQLite file in a temp folder, or a new database on the PostgreSQL
/// server named by VALUEBOT_TEST_POSTGRES (started by .ci/start-postgres.sh). Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "VALUEBOT_TEST_POSTGRES";

    private readonly string? _folder;
    private readonly string? _postgresName;

    private TestDatabase(string connectionString, string? folder, string? postgresName)
    {
        ConnectionString = connectionString;
        _folder = folder;
        _postgresName = postgresName;
    }

    public string ConnectionString { get; }

    public bool IsPostgres => _postgresName is not null;

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static Task<TestDatabase> CreateAsync(string engine) =>
        engine == "postgres" ? CreatePostgresAsync() : Task.FromResult(CreateSqlite());

    public static TestDatabase CreateSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "valuebot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new TestDatabase($"Data Source={Path.Combine(folder, "valuebot.db")}", folder, null);
    }

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = PostgresServer ?? throw new InvalidOperationException($"{PostgresVariable} is not set");
        var name = "valuebot_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false };
        return new TestDatabase(builder.ConnectionString, null, name);
    }

    /// <summary>
    /// Takes the database away from the app until the returned handle is disposed, as an outage would. PostgreSQL: new
    /// connections to this test's own database are refused (<c>ALLOW_CONNECTIONS false</c>) and open ones are ended
    /// (<c>pg_terminate_backend</c>); the shared server keeps running. SQLite: an exclusive lock, so every write fails
    /// once its busy timeout (<c>Default Timeout</c> in the connection string) passes.
    /// </summary>
    public async Task<IAsyncDisposable> TakeAwayAsync()
    {
        if (_postgresName is not null)
        {
            await AdminAsync($"ALTER DATABASE {_postgresName} ALLOW_CONNECTIONS false");
            await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_postgresName}' AND pid <> pg_backend_pid()");
            return new Restore(() => AdminAsync($"ALTER DATABASE {_postgresName} ALLOW_CONNECTIONS true"));
        }

        var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString + ";Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        return new Restore(async () =>
        {
            await using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        });
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }

    /// <summary>A raw connection (not yet open), for tests that write SQL the way an older version or an operator would.</summary>
    public DbConnection Connect(bool foreignKeys = false) => IsPostgres
        ? new NpgsqlConnection(ConnectionString)
        : new SqliteConnection(ConnectionString + (foreignKeys ? ";Foreign Keys=True" : string.Empty));

    /// <summary>Runs one SQL statement on a raw connection.</summary>
    public async Task ExecuteAsync(string sql, bool foreignKeys = false)
    {
        await using var connection = Connect(foreignKeys);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The single number a SQL query returns, read on a raw connection.</summary>
    public async Task<long> ScalarAsync(string sql, bool foreignKeys = false)
    {
        await using var connection = Connect(foreignKeys);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            await using var connection = new NpgsqlConnection(PostgresServer);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        else if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }
}

/// <summary>
/// Both engines for a theory. The PostgreSQL row exists only when VALUEBOT_TEST_POSTGRES names a server;
/// CI always sets it, and <c>CiConfigurationTests</c> fails the run if it does not.
/// </summary>
public sealed class Engines : TheoryData<string>
{
    public Engines()
    {
        Add("sqlite");
        if (TestDatabase.PostgresServer is not null)
        {
            Add("postgres");
        }
    }
}
