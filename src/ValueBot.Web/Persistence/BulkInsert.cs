using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ValueBot.Web.Persistence;

/// <summary>
/// Inserts many new rows of one mapped entity type as multi-row <c>INSERT … VALUES (…), (…)</c> statements in the
/// context's current transaction, with the columns, names and value conversions of EF's model (so a row is stored
/// exactly as <c>SaveChanges</c> would store it), but without tracking each entity: an import of 10,000 use cases is a
/// prepared statement run once per row (SQLite) or a few hundred multi-row statements (PostgreSQL) instead of 20,000 tracked
/// inserts. Store-generated keys are left to the database and not read
/// back; use it only for rows nothing reads again in the same unit of work.
/// </summary>
internal static class BulkInsert
{
    // Far below both engines' limits (SQLite 32,766 variables per statement, PostgreSQL 65,535 parameters).
    private const int MaxParameters = 8_000;

    public static async Task InsertAsync<T>(DbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !IsStoreGeneratedKey(p))
            .Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: p.GetRelationalTypeMapping()))
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column)))}) VALUES ";
        // SQLite binds parameters by name with a linear search, so a statement of thousands of them costs more to prepare
        // and bind than to run: there one single-row statement is prepared once and run for each row (in the one
        // transaction, which is what makes SQLite fast). PostgreSQL gets multi-row statements: fewer round trips.
        var perStatement = db.Database.IsSqlite() ? 1 : Math.Max(1, MaxParameters / columns.Length);

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await db.Database.OpenConnectionAsync(cancellationToken);
        DbCommand? command = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                if (command is null || command.Parameters.Count != chunk.Length * columns.Length)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = Statement(head, chunk.Length, columns.Length, sql);
                }

                // The type mapping applies the property's value converter and the provider's parameter type.
                command.Parameters.Clear();
                var n = 0;
                foreach (var row in chunk)
                {
                    foreach (var (property, _, mapping) in columns)
                    {
                        command.Parameters.Add(mapping.CreateParameter(command, sql.GenerateParameterName("p" + n++), property.GetGetter().GetClrValue(row), property.IsNullable));
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Statement(string head, int rows, int columns, ISqlGenerationHelper sql)
    {
        var text = new StringBuilder(head, head.Length + rows * columns * 7);
        var n = 0;
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder("p" + n++));
            }

            text.Append(')');
        }

        return text.ToString();
    }

    // An integer key the database numbers (an audit entry's id); a Guid key is the caller's own value and is written.
    private static bool IsStoreGeneratedKey(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && (property.ClrType == typeof(int) || property.ClrType == typeof(long));
}
