using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using ValueBot.Benchmarks;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Hosting;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tab;
using ValueBot.Web.UseCases;

// The tab's portfolio page for portfolios of --sizes use cases (14 weeks of answers each: what the page reads), through
// the real host over HTTP on loopback, signed in as an admin (the whole portfolio). Prints the server time of the page:
// the first request (reads and evaluates the portfolio) and then the median and worst of 20 requests while the data is
// unchanged (the evaluated portfolio is reused; the request checks the tables' fingerprint, narrows, sums and renders).
var sizes = (Arg("--sizes") ?? "10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var engines = new List<string> { "sqlite" };
if (args.Contains("--postgres") && Environment.GetEnvironmentVariable("VALUEBOT_TEST_POSTGRES") is { Length: > 0 })
{
    engines.Add("postgres");
}

Console.WriteLine($"ValueBot tab benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Console.WriteLine("engine   | use cases | first request (evaluates) | warm median | warm worst | page size | render only (median, view kept)");
foreach (var engine in engines)
{
    foreach (var size in sizes)
    {
        await RunAsync(engine, size);
    }
}

return;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static async Task RunAsync(string engine, int size)
{
    var (connectionString, cleanup) = await ScratchDatabase.CreateAsync(engine);
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
            ["Schedule:Enabled"] = "false",
            ["Admin:TeamsAdmins"] = "aad-admin",
            // Check the tables' fingerprint on every request: the worst case, not the 10 s default.
            ["Tab:FreshnessInterval"] = "00:00:00",
        });
        builder.AddValueBot();
        await using var app = builder.Build();
        app.MapValueBot();
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var week = await SeedAsync(app.Services, size);

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        using (var signIn = await http.PostAsync("/tab/sign-in/dev", new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = "aad-admin" })))
        {
            signIn.EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        var first = await http.GetStringAsync($"/tab/portfolio?week={week}");
        var cold = clock.Elapsed;
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            clock.Restart();
            await http.GetStringAsync($"/tab/portfolio?week={week}");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        // The page alone, without HTTP and the fingerprint query: the admin's kept view rendered as HTML.
        var reader = app.Services.GetRequiredService<PortfolioReader>();
        var portfolio = await reader.ReadAsync(week, CancellationToken.None);
        var viewer = new TabViewer("aad-admin", "Admin", IsAdmin: true, IsLeader: false);
        var context = new DefaultHttpContext();
        var render = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            clock.Restart();
            PortfolioPage.Render(context.Request, reader.ViewFor(viewer, portfolio), 1, 50);
            render.Add(clock.Elapsed.TotalMilliseconds);
        }

        render.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{engine,-8} | {size,9:N0} | {cold.TotalMilliseconds,22:F0} ms | {times[10],8:F0} ms | {times[^1],7:F0} ms | {first.Length / 1024.0,6:F0} KB | {render[10],10:F0} ms"));
        await app.StopAsync();
    }
    finally
    {
        await cleanup();
    }
}

// size use cases, ten per owner, ten owners per manager, 14 answered weeks each, every answer different.
static async Task<IsoWeek> SeedAsync(IServiceProvider services, int size)
{
    var week = IsoWeek.Parse("2026-W47");
    var useCases = Enumerable.Range(0, size).Select(i => new UseCase
    {
        Id = new Guid(i + 1, 0, 0, new byte[8]),
        Name = $"Use case {i:D5}",
        ValueModel = (ValueModel)(i % 5),
        Stage = (Stage)(i % 5),
        Owner = new PersonRef($"aad-owner-{i / 10}", $"Owner {i / 10}"),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    }).ToList();
    await using var scope = services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<UseCaseRegistry>().ImportAsync(useCases, "benchmark", CancellationToken.None);
    var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
    var connection = db.Database.GetDbConnection();
    await connection.OpenAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    await using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = "INSERT INTO check_ins (use_case_id, week, status, answer_json, answered_by, answered_at, created_at, updated_at) VALUES (@u, @w, 'answered', @a, @b, @t, @t, @t)";
    var u = Parameter("@u");
    var w = Parameter("@w");
    var a = Parameter("@a");
    var b = Parameter("@b");
    Parameter("@t").Value = DateTime.SpecifyKind(new DateTime(2026, 11, 20, 12, 0, 0), DateTimeKind.Utc);
    for (var i = 0; i < size; i++)
    {
        for (var k = 0; k < 14; k++)
        {
            u.Value = useCases[i].Id.ToString("D");
            w.Value = week.AddWeeks(-k).ToString();
            a.Value = AnswerJson.Serialize(new Answer
            {
                ActiveUsers = 40 + (i + k) % 55,
                Tasks = 100 + (i * 37 + k * 11) % 300,
                MinutesSavedPerTask = 4m + (i + k) % 5,
                ReworkShare = (5 + (i * 3 + k) % 14) / 100m,
                MinutesPerCorrection = 5m,
                Exceptions = (i + k) % 9,
                RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(200m + (i + k) % 150, "EUR") },
                Win = k == 0 && i % 3 == 0 ? "A day of manual work saved" : null,
                ShareWinWithLeadership = k == 0 && i % 3 == 0,
            });
            b.Value = useCases[i].Owner!.AadObjectId;
            await command.ExecuteNonQueryAsync();
        }
    }

    await transaction.CommitAsync();
    return week;

    System.Data.Common.DbParameter Parameter(string name)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        command.Parameters.Add(p);
        return p;
    }
}
