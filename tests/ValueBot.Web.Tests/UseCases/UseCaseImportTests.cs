using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.UseCases;

/// <summary>The registry's bulk import on a real database, counting the commands it sends.</summary>
public sealed class UseCaseImportTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ImportingAThousandUseCasesReadsWithTwoQueriesWhateverTheSizeOfTheFile(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await MigrateAsync(database);
        var file = Enumerable.Range(0, 1000).Select(i => UseCase(i, $"Use case {i}", $"Owner {i % 50}")).ToList();

        var first = await ImportAsync(database, file);

        Assert.Equal((1000, 0), first.Result);
        Assert.Equal(2, first.Selects);

        // Again, with every fourth row renamed, owners renamed and one new row: still two reads.
        var second = file.Select((u, i) => i % 4 == 0 ? u with { Name = u.Name + " v2" } : u)
            .Select(u => u with { Owner = u.Owner! with { DisplayName = u.Owner.DisplayName + " Jr" } })
            .Append(UseCase(1000, "Use case 1000", "Owner 0 Jr"))
            .ToList();
        var again = await ImportAsync(database, second);

        Assert.Equal((1, 1000), again.Result);
        Assert.Equal(2, again.Selects);
        await using var db = Context(database, new CommandCounter());
        var registry = new UseCaseRegistry(db, TimeProvider.System);
        var stored = await registry.GetAsync(file[4].Id, CancellationToken.None);
        Assert.Equal("Use case 4 v2", stored!.UseCase.Name);
        Assert.Equal("Owner 4 Jr", stored.UseCase.Owner!.DisplayName);
        Assert.Equal(1, stored.RowVersion);
        Assert.Equal(0.12m, stored.UseCase.PolicyOverrides?.MaxReworkRate);
        var audit = await registry.AuditTrailAsync(file[4].Id, CancellationToken.None);
        Assert.Equal(["created", "name", "owner"], audit.Select(a => a.Field));
        Assert.Equal("Owner 4 (aad-owner-4)", audit[2].OldValue);
        // Row 54 shares row 4's owner: its audit shows the rename too, compared with what was stored.
        var sameOwner = await registry.AuditTrailAsync(file[54].Id, CancellationToken.None);
        Assert.Contains(sameOwner, a => a.Field == "owner" && a.OldValue == "Owner 4 (aad-owner-4)" && a.NewValue == "Owner 4 Jr (aad-owner-4)");
        var untouched = await registry.GetAsync(file[5].Id, CancellationToken.None);
        Assert.Equal(1, untouched!.RowVersion); // only the owner's name changed
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AFailedSaveImportsNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await MigrateAsync(database);
        var file = Enumerable.Range(0, 50).Select(i => UseCase(i, $"Use case {i}", "Owner")).ToList();
        // A name the column cannot take (NOT NULL) fails the one save after every row was applied.
        file[49] = file[49] with { Name = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => ImportAsync(database, file));

        await using var db = Context(database, new CommandCounter());
        Assert.Equal(0, await db.Set<UseCaseRecord>().CountAsync());
        Assert.Equal(0, await db.Set<AuditEntry>().CountAsync());
    }

    private static UseCase UseCase(int i, string name, string owner) => new()
    {
        Id = new Guid(i + 1, 7, 7, new byte[8]),
        Name = name,
        ValueModel = ValueModel.ProcessReengineering,
        Owner = new PersonRef($"aad-owner-{i % 50}", owner),
        TargetUsers = 40,
        Baseline = new Baseline(12m, 500m, new Money(60m, "EUR"), 0.05m, 20m),
        PlannedRunCostPerMonth = new Money(1000m + i, "EUR"),
        PolicyOverrides = i % 2 == 0 ? new EvaluationPolicyOverrides { MaxReworkRate = 0.12m, StaleWindow = 4 } : null,
    };

    private static async Task<((int, int) Result, int Selects)> ImportAsync(TestDatabase database, IReadOnlyList<UseCase> file)
    {
        var counter = new CommandCounter();
        await using var db = Context(database, counter);
        var result = await new UseCaseRegistry(db, TimeProvider.System).ImportAsync(file, "importer", CancellationToken.None);
        return (result, counter.Selects);
    }

    private static Task MigrateAsync(TestDatabase database) =>
        new SchemaMigrator(new DatabaseOptions
        {
            Engine = database.IsPostgres ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite,
            ConnectionString = database.ConnectionString,
        }, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

    private static ValueBotDbContext Context(TestDatabase database, CommandCounter counter)
    {
        var options = new DbContextOptionsBuilder<ValueBotDbContext>();
        if (database.IsPostgres)
        {
            options.UseNpgsql(database.ConnectionString);
        }
        else
        {
            options.UseSqlite(database.ConnectionString);
        }

        return new ValueBotDbContext(options.UseSnakeCaseNamingConvention().AddInterceptors(counter).Options);
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int _selects;

        public int Selects => _selects;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _selects);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
