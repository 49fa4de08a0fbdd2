using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// Every table of the host's database with its row count and a checksum of its rows (order-independent): two
/// snapshots are equal exactly when no row was added, removed or changed anywhere. Tables that background loops
/// write on their own clock whatever requests arrive (the senders' heartbeats) are left out.
/// </summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, (long Rows, string Checksum)> Tables)
{
    private static readonly HashSet<string> Heartbeats = new(StringComparer.Ordinal) { "outbox_senders" };

    public static Task<DatabaseSnapshot> TakeAsync(ValueBotTestHost host) => host.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<ValueBotDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            var isPostgres = db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
            var names = await ColumnAsync(connection, isPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
            var tables = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
            foreach (var name in names.Where(n => !Heartbeats.Contains(n)))
            {
                tables[name] = await TableAsync(connection, name);
            }

            return new DatabaseSnapshot(tables);
        }
        finally
        {
            await connection.CloseAsync();
        }
    });

    /// <summary>The tables whose rows differ from <paramref name="before"/>, with both counts.</summary>
    public IReadOnlyList<string> DifferencesFrom(DatabaseSnapshot before) =>
        Tables.Keys.Union(before.Tables.Keys)
            .Where(t => !Tables.TryGetValue(t, out var now) || !before.Tables.TryGetValue(t, out var then) || now != then)
            .Select(t => $"{t}: {Describe(before, t)} → {Describe(this, t)}")
            .ToList();

    private static string Describe(DatabaseSnapshot snapshot, string table) =>
        snapshot.Tables.TryGetValue(table, out var t) ? $"{t.Rows} rows ({t.Checksum[..12]})" : "absent";

    private static async Task<List<string>> ColumnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<(long, string)> TableAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                {
                    byte[] bytes => Convert.ToHexString(bytes),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v.ToString(),
                };
                row.Append(value).Append('\u001f');
            }

            rows.Add(row.ToString());
        }

        rows.Sort(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows)));
        return (rows.Count, Convert.ToHexString(hash));
    }
}
