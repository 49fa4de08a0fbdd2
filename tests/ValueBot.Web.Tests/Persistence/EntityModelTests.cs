using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Persistence;

/// <summary>
/// EF Core's names (snake_case by convention, a few set by hand) are the names the hand-written migrations created:
/// every table and column the model maps exists in the migrated database, on both engines.
/// </summary>
public sealed class EntityModelTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task EveryMappedColumnExistsInTheMigratedSchema(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var model = await host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<ValueBotDbContext>().Model));

        var missing = new List<string>();
        var mapped = 0;
        await using var connection = database.Connect();
        await connection.OpenAsync();
        foreach (var entity in model.GetEntityTypes().Where(e => e.GetTableName() is not null))
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var columns = await ColumnsAsync(connection, table, database.IsPostgres);
            if (columns.Count == 0)
            {
                missing.Add($"table {table} ({entity.ClrType.Name})");
                continue;
            }

            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(store) is { } column)
                {
                    mapped++;
                    if (!columns.Contains(column))
                    {
                        missing.Add($"{table}.{column} ({entity.ClrType.Name}.{property.Name})");
                    }
                }
            }
        }

        Assert.Empty(missing);
        Assert.True(mapped > 100, $"only {mapped} mapped columns");
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, string table, bool postgres)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t"
            : "SELECT name FROM pragma_table_info(@t)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@t";
        parameter.Value = table;
        command.Parameters.Add(parameter);
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
