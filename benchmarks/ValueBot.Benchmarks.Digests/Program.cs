using ValueBot.Benchmarks;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Digests;
using ValueBot.Web.Hosting;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

// Builds every digest of one week for portfolios of --sizes use cases, each with 104 weeks of answers, through the
// real host's services and database. Prints the time of each phase and the memory it took.
var options = new BenchmarkArgs(args);
var sizes = options.Ints("--sizes", "1000,2500,5000,10000");
var weeks = options.Int("--weeks", 104);
// --reuse FILE (SQLite) / --reuse-postgres NAME (a database on the server), one size: seed there once and keep it;
// later runs find it seeded and skip the seeding.
var reuse = options.Value("--reuse");
var reusePostgres = options.Value("--reuse-postgres");
var engines = options.Engines();

var week = IsoWeek.Parse("2026-W47");
Console.WriteLine($"ValueBot digest benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {BenchmarkTable.LoadAverage()}, {weeks} weeks of answers per use case, digest week {week}");
Console.WriteLine("engine   | use cases | answers   | load (3 queries) | evaluate | leadership digest+card | manager digests+cards | publish (end to end) | alloc in publish | peak working set | largest card");
foreach (var engine in engines)
{
    foreach (var size in sizes)
    {
        await RunAsync(engine, size, weeks, week, engine == "sqlite" ? reuse : reusePostgres);
    }
}

Console.WriteLine($"load average at the end {BenchmarkTable.LoadAverage()}");

return;

static async Task RunAsync(string engine, int size, int weeks, IsoWeek week, string? reuse)
{
    var seeded = reuse is not null && (engine == "sqlite" ? File.Exists(reuse) : await PostgresSeededAsync(reuse));
    var (connectionString, cleanup) = reuse is null ? await ScratchDatabase.CreateAsync(engine)
        : engine == "sqlite" ? ($"Data Source={Path.GetFullPath(reuse)}", () => Task.CompletedTask)
        : (new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("VALUEBOT_TEST_POSTGRES")) { Database = reuse }.ConnectionString, () => Task.CompletedTask);
    try
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ValueBot"] = connectionString,
            ["Bot:LocalMode"] = "true",
            ["Bot:Credential:Type"] = "None",
            ["Delivery:Enabled"] = "false",
        });
        builder.AddValueBot();
        await using var app = builder.Build();
        app.MapValueBot();
        await app.StartAsync();

        var answers = seeded ? -1 : await SeedAsync(app.Services, size, weeks, week);
        // The peak working set of the publication itself, not of the seeding before it: collect what seeding left and
        // reset the kernel's high-water mark (Linux: "5" to /proc/self/clear_refs), so the peak read after is the passes'.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var peakReset = TryResetPeakWorkingSet();
        var before = Process.GetCurrentProcess().WorkingSet64;

        // Phases, each in a fresh scope as a scheduled job would run. The first pass includes JIT compilation of
        // everything involved; a long-running host pays that once, so the second pass is the one reported.
        var cold = await PhasesAsync(app.Services, week);
        var (load, evaluate, leadership, managers, largest) = await PhasesAsync(app.Services, week);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        DigestPublication publication;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            publication = await scope.ServiceProvider.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(week, CancellationToken.None);
        }

        var publish = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var label = engine == "sqlite" ? "SQLite" : "PostgreSQL";
        BenchmarkTable.Row($"Friday publication, {size:N0} use cases × {weeks} weeks, {label}, warm", $"{publish.TotalMilliseconds:N0} ms (load {load.TotalMilliseconds:N0}, evaluate {evaluate.TotalMilliseconds:N0}; CPU {cpu.TotalMilliseconds:N0} ms)", "< 500 ms", publish < TimeSpan.FromMilliseconds(500));
        BenchmarkTable.Row($"its peak working set, {label}", string.Create(CultureInfo.InvariantCulture, $"{peak / 1048576.0:F0} MB{(peakReset ? $" ({before / 1048576.0:F0} MB before the passes)" : " (whole process: peak not reset)")}, {allocated / 1048576.0:F0} MB allocated"), "< 200 MB", peak < 200L * 1024 * 1024);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{engine,-8} | {size,9:N0} | {answers,9:N0} | {Ms(load),16} | {Ms(evaluate),8} | {Ms(leadership),22} | {Ms(managers),21} | {Ms(publish),20} | {allocated / 1048576.0,12:F0} MB | {peak / 1048576.0,12:F0} MB | {largest / 1024.0,8:F1} KB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"         first (cold) pass: load {Ms(cold.Load)}, evaluate {Ms(cold.Evaluate)}, leadership {Ms(cold.Leadership)}, managers {Ms(cold.Managers)}; publication queued {publication.ManagerDigestsQueued} manager digests, {publication.ChannelPostsQueued} channel posts"));
        await app.StopAsync();
    }
    finally
    {
        await cleanup();
    }

    static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:F0} ms");
}

// True when the database exists with check-ins in it; creates it (empty) when it does not exist.
static async Task<bool> PostgresSeededAsync(string name)
{
    var server = Environment.GetEnvironmentVariable("VALUEBOT_TEST_POSTGRES")!;
    await using (var connection = new NpgsqlConnection(server))
    {
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection);
        exists.Parameters.AddWithValue("n", name);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection).ExecuteNonQueryAsync();
            return false;
        }
    }

    await using var database = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    await database.OpenAsync();
    await using var count = new NpgsqlCommand("SELECT to_regclass('check_ins') IS NOT NULL AND EXISTS (SELECT 1 FROM check_ins)", database);
    return await count.ExecuteScalarAsync() is true;
}

static bool TryResetPeakWorkingSet()
{
    try
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return true;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return false;
    }
}

static async Task<(TimeSpan Load, TimeSpan Evaluate, TimeSpan Leadership, TimeSpan Managers, int LargestCard)> PhasesAsync(IServiceProvider services, IsoWeek week)
{
    await using var scope = services.CreateAsyncScope();
    var store = scope.ServiceProvider.GetRequiredService<DigestStore>();
    var registry = scope.ServiceProvider.GetRequiredService<UseCaseRegistry>();
    var options = new DigestOptions();
    var clock = Stopwatch.StartNew();
    // The window's rows alone (query and materialisation, nothing kept): the part of the load that is the database's.
    var rows = 0;
    await foreach (var _ in store.Window(week.AddWeeks(-(DigestStore.HistoryWeeks - 1)), week))
    {
        rows++;
    }

    var window = clock.Elapsed;
    // The same rows as the publication read them before 2026-12-04: in week-index order, materialised by EF.
    clock.Restart();
    var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
    var previousRows = 0;
    var firstWeek = week.AddWeeks(-(DigestStore.HistoryWeeks - 1)).ToString();
    await foreach (var _ in ValueBot.Web.UseCases.WeeklyFiguresRow.Query(db.Database, "c.week >= {0} AND c.week <= {1}", firstWeek, week.ToString()).AsAsyncEnumerable())
    {
        previousRows++;
    }

    var previous = clock.Elapsed;
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    clock.Restart();
    var snapshot = await store.LoadAsync(week, CancellationToken.None);
    var load = clock.Elapsed;
    var loadAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    var snapshotHeld = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
    allocated = GC.GetTotalAllocatedBytes(precise: true);

    clock.Restart();
    var lines = DigestComposer.Lines(snapshot.UseCases, week, registry.OrganisationPolicy);
    var evaluate = clock.Elapsed;
    var evaluateAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    var linesHeld = GC.GetTotalMemory(forceFullCollection: true) - heapBefore - snapshotHeld;
    allocated = GC.GetTotalAllocatedBytes(precise: true);

    clock.Restart();
    var leadershipCard = DigestCards.Leadership(DigestComposer.ForLeadership(lines, week, new HashSet<Guid>()), options);
    var largest = leadershipCard.SizeInBytes();
    var leadership = clock.Elapsed;

    clock.Restart();
    foreach (var group in lines.GroupBy(l => snapshot.ManagerOf(l.UseCase.Owner?.AadObjectId)).Where(g => g.Key is not null))
    {
        var card = DigestCards.Manager(DigestComposer.ForManager(snapshot.Ref(group.Key!), group, week), options);
        largest = Math.Max(largest, card.SizeInBytes());
    }

    var managers = clock.Elapsed;
    var cardsAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"         pass: window rows alone {window.TotalMilliseconds:F0} ms ({rows:N0} rows; as read before 2026-12-04: {previous.TotalMilliseconds:F0} ms, {previousRows:N0} rows), load {load.TotalMilliseconds:F0} ms, evaluate {evaluate.TotalMilliseconds:F0} ms, leadership {leadership.TotalMilliseconds:F0} ms, managers {managers.TotalMilliseconds:F0} ms; allocated: load {loadAllocated / 1048576.0:F0} MB, evaluate {evaluateAllocated / 1048576.0:F0} MB, cards {cardsAllocated / 1048576.0:F0} MB; held: snapshot {snapshotHeld / 1048576.0:F0} MB, lines {linesHeld / 1048576.0:F0} MB"));
    GC.KeepAlive(snapshot);
    GC.KeepAlive(lines);
    return (load, evaluate, leadership, managers, largest);
}

// size use cases; ten per owner, ten owners per manager; every answer different; every 9th week of every 7th use
// case missed, every 3rd use case with a win for leadership in the digest week.
static async Task<int> SeedAsync(IServiceProvider services, int size, int weeks, IsoWeek week)
{
    var useCases = new List<UseCase>(size);
    for (var i = 0; i < size; i++)
    {
        useCases.Add(new UseCase
        {
            Id = new Guid(i + 1, 0, 0, new byte[8]),
            Name = $"Use case {i:D5}",
            ValueModel = (ValueModel)(i % 5),
            Stage = (Stage)(i % 5),
            Owner = new PersonRef($"aad-owner-{i / 10}", $"Owner {i / 10}"),
            TargetUsers = 100,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        });
    }

    await using (var scope = services.CreateAsyncScope())
    {
        var registry = scope.ServiceProvider.GetRequiredService<UseCaseRegistry>();
        await registry.ImportAsync(useCases, "benchmark", CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
        foreach (var manager in Enumerable.Range(0, (size + 99) / 100))
        {
            db.Add(new Person { AadObjectId = $"aad-manager-{manager}", DisplayName = $"Manager {manager}", UpdatedAt = DateTime.UtcNow });
            db.Add(new ValueBot.Web.Installations.Installation
            {
                ConversationId = $"a:manager-{manager}", Scope = "personal", ServiceUrl = "http://127.0.0.1:9/teams/",
                AadObjectId = $"aad-manager-{manager}", UserId = $"29:manager-{manager}", InstalledAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
        }

        db.Add(new DigestChannel { TeamId = "19:team", ChannelId = "19:leadership@thread.tacv2", ServiceUrl = "http://127.0.0.1:9/teams/", SetBy = "benchmark", SetAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var people = await db.Set<Person>().Where(p => p.AadObjectId.StartsWith("aad-owner-")).ToListAsync();
        foreach (var person in people)
        {
            person.ManagerAadObjectId = "aad-manager-" + (int.Parse(person.AadObjectId["aad-owner-".Length..], CultureInfo.InvariantCulture) / 10);
        }

        await db.SaveChangesAsync();
    }

    var count = 0;
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // SQLite: one prepared single-row statement per row is its fastest; PostgreSQL: 250 rows per statement, since a
        // round trip per row made the 1,040,000 rows take most of an hour on a loaded machine.
        var perStatement = connection is NpgsqlConnection ? 250 : 1;
        var rows = new List<(string UseCase, string Week, bool Missed, string? Answer, string? By)>(perStatement);
        var now = DateTime.SpecifyKind(new DateTime(2026, 11, 20, 12, 0, 0), DateTimeKind.Utc);
        DbCommand? full = null;
        for (var i = 0; i < size; i++)
        {
            for (var k = weeks - 1; k >= 0; k--)
            {
                var missed = i % 7 == 0 && k % 9 == 0;
                var answer = new Answer
                {
                    ActiveUsers = 50 + (i + k) % 45,
                    Tasks = 100 + (i * 37 + k * 11) % 300,
                    MinutesSavedPerTask = 4m + (i + k) % 5,
                    ReworkShare = (5 + (i * 3 + k) % 14) / 100m,
                    MinutesPerCorrection = 5m,
                    Exceptions = (i + k) % 9,
                    RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(200m + (i + k) % 150, "EUR") },
                    BacklogShrinking = (BacklogShrinking)((i + k) % 3),
                    Win = k == 0 && i % 3 == 0 ? $"Use case {i}: a day of manual work saved for the whole team" : null,
                    ShareWinWithLeadership = k == 0 && i % 3 == 0,
                };
                rows.Add((useCases[i].Id.ToString("D"), week.AddWeeks(-k).ToString(), missed,
                    missed ? null : AnswerJson.Serialize(answer), missed ? null : useCases[i].Owner!.AadObjectId));
                count += missed ? 0 : 1;
                if (rows.Count == perStatement)
                {
                    full ??= Insert(connection, transaction, perStatement);
                    await RunAsync(full, rows, now);
                }
            }
        }

        if (rows.Count > 0)
        {
            await RunAsync(Insert(connection, transaction, rows.Count), rows, now);
        }

        await transaction.CommitAsync();
    }

    return count;

    static DbCommand Insert(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO check_ins (use_case_id, week, status, answer_json, answered_by, answered_at, created_at, updated_at) VALUES "
            + string.Join(", ", Enumerable.Range(0, rows).Select(r => $"(@u{r}, @w{r}, @s{r}, @a{r}, @b{r}, @t, @t, @t)"));
        for (var r = 0; r < rows; r++)
        {
            foreach (var name in new[] { "@u", "@w", "@s", "@a", "@b" })
            {
                Parameter(command, name + r);
            }
        }

        Parameter(command, "@t");
        return command;
    }

    static async Task RunAsync(DbCommand command, List<(string UseCase, string Week, bool Missed, string? Answer, string? By)> rows, DateTime now)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            command.Parameters[5 * r].Value = rows[r].UseCase;
            command.Parameters[5 * r + 1].Value = rows[r].Week;
            command.Parameters[5 * r + 2].Value = rows[r].Missed ? "missed" : "answered";
            command.Parameters[5 * r + 3].Value = (object?)rows[r].Answer ?? DBNull.Value;
            command.Parameters[5 * r + 4].Value = (object?)rows[r].By ?? DBNull.Value;
        }

        command.Parameters[5 * rows.Count].Value = now;
        await command.ExecuteNonQueryAsync();
        rows.Clear();
    }

    static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

