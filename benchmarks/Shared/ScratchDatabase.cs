using Npgsql;

namespace ValueBot.Benchmarks;

/// <summary>A database for one benchmark run: a SQLite file in a temp folder, or a new database on the PostgreSQL server in VALUEBOT_TEST_POSTGRES.</summary>
internal static class ScratchDatabase
{
    public static async Task<(string ConnectionString, Func<Task> Cleanup)> CreateAsync(string engine)
    {
        if (engine == "sqlite")
        {
            var folder = Path.Combine(Path.GetTempPath(), "valuebot-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return ($"Data Source={Path.Combine(folder, "valuebot.db")}", () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            });
        }
    
        var server = Environment.GetEnvironmentVariable("VALUEBOT_TEST_POSTGRES")!;
        var name = "valuebot_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", connection).ExecuteNonQueryAsync();
        }
    
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection).ExecuteNonQueryAsync();
        });
    }
}
