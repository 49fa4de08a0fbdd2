using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using ValueBot.Benchmarks;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Connector;
using ValueBot.Testing;
using ValueBot.Web.Admin;
using ValueBot.Web.Hosting;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using Stopwatch = System.Diagnostics.Stopwatch;

// The admin CSV import of --sizes use cases into an empty registry, through the real host over HTTP on loopback with an
// Entra admin token from the loopback issuer: POST /api/admin/use-cases/import, all rows or none. A file holds at most
// UseCaseLimits.ImportRows rows, so a larger size is imported as consecutive files into the growing registry. Prints the
// time per size and per row (linear growth keeps the per-row time flat), the parse alone, and a re-import of the same
// rows with every name changed (all updates, each audited).
const string AppId = "00000000-0000-0000-0000-0000000000b0";
const string TenantId = "11111111-1111-1111-1111-111111111111";
var options = new BenchmarkArgs(args);
var sizes = options.Ints("--sizes", "1000,10000,50000");
var engines = options.Engines();

Console.WriteLine($"ValueBot CSV import benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {BenchmarkTable.LoadAverage()}");
Console.WriteLine($"engine   | use cases | files | import over HTTP | per row  | CPU (process) | parse only | re-import, all updated | rows stored");
foreach (var engine in engines)
{
    foreach (var size in sizes)
    {
        await RunAsync(engine, size);
    }
}

Console.WriteLine($"load average at the end {BenchmarkTable.LoadAverage()}");
return;

static async Task RunAsync(string engine, int size)
{
    var (connectionString, cleanup) = await ScratchDatabase.CreateAsync(engine);
    try
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ValueBot"] = connectionString,
            ["Bot:AppId"] = AppId,
            ["Bot:TenantId"] = TenantId,
            ["Bot:Credential:Type"] = "ClientSecret",
            ["Bot:Credential:ClientSecret"] = "not-used",
            ["Bot:Authentication:BotFrameworkMetadataAddress"] = issuer.BotFrameworkMetadataAddress,
            ["Bot:Authentication:EntraMetadataAddressTemplate"] = issuer.EntraMetadataAddressTemplate,
            ["Schedule:Enabled"] = "false",
            ["Delivery:Enabled"] = "false",
        });
        builder.Services.AddSingleton(new BotConnectorCredential(new FixedToken()));
        builder.AddValueBot();
        await using var app = builder.Build();
        app.MapValueBot();
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var token = issuer.CreateToken(new FakeTokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0",
            Audience = $"api://{AppId}",
            Claims = new Dictionary<string, object> { ["tid"] = TenantId, ["preferred_username"] = "admin@contoso.example", ["roles"] = new[] { "ValueBot.Admin" } },
        });
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(10) };

        // Warm-up (JIT, connections, the admin token's metadata): 100 use cases, not counted, then the measured import.
        await ImportAsync(http, token, UseCaseCsv.Write(UseCases(100, offset: size)));

        var useCases = UseCases(size, offset: 0);
        var files = useCases.Chunk(UseCaseLimits.ImportRows).Select(chunk => UseCaseCsv.Write(chunk)).ToList();
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            await ImportAsync(http, token, file);
        }

        var import = clock.Elapsed;
        var importCpu = CpuTime() - cpu;

        clock.Restart();
        foreach (var file in files)
        {
            var (_, errors) = UseCaseCsv.Read(file);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("The generated file does not parse: " + errors[0].Message);
            }
        }

        var parse = clock.Elapsed;

        var renamed = useCases.Chunk(UseCaseLimits.ImportRows).Select(chunk => UseCaseCsv.Write(chunk.Select(u => u with { Name = u.Name + " (renamed)" }))).ToList();
        clock.Restart();
        foreach (var file in renamed)
        {
            await ImportAsync(http, token, file);
        }

        var reimport = clock.Elapsed;

        int stored;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            stored = await scope.ServiceProvider.GetRequiredService<ValueBotDbContext>().Set<UseCaseRecord>().CountAsync() - 100;
        }

        var label = engine == "sqlite" ? "SQLite" : "PostgreSQL";
        var perRow = import.TotalMilliseconds * 1000 / size;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{engine,-8} | {size,9:N0} | {files.Count,5} | {import.TotalMilliseconds,13:N0} ms | {perRow,5:F0} µs | {importCpu.TotalMilliseconds,10:N0} ms | {parse.TotalMilliseconds,7:N0} ms | {reimport.TotalMilliseconds,19:N0} ms | {stored:N0}"));
        if (size == 10_000)
        {
            BenchmarkTable.Row($"CSV import of 10,000 use cases, {label}", $"{import.TotalMilliseconds:N0} ms", "< 2 s", import < TimeSpan.FromSeconds(2) && stored == size);
        }

        BenchmarkTable.Row($"CSV import per row at {size:N0}, {label}", $"{perRow:F0} µs", "flat (linear)", null);
        await app.StopAsync();
    }
    finally
    {
        await cleanup();
    }
}

static async Task ImportAsync(HttpClient http, string token, string csv)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/use-cases/import")
    {
        Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

// Use cases as an admin's file describes them: every column filled in, ten per owner, a delegate and a sponsor.
static List<UseCase> UseCases(int count, int offset) => Enumerable.Range(offset, count).Select(i => new UseCase
{
    Id = new Guid(i + 1, 0, 0, new byte[8]),
    Name = $"Use case {i:D6}",
    Description = $"AI drafts the coding of incoming invoices, desk {i % 97}",
    ValueModel = (ValueModel)(i % 5),
    Stage = (Stage)(i % 4),
    Owner = new PersonRef(Person(i / 10), $"Owner {i / 10}"),
    Delegate = new PersonRef(Person(1_000_000 + i / 10), $"Delegate {i / 10}"),
    Sponsor = new PersonRef(Person(2_000_000 + i / 1000), $"Sponsor {i / 1000}"),
    OrgUnit = $"Unit {i % 40}",
    Workflow = "Invoice coding",
    SuccessCriteria = "Half the manual coding time",
    LaunchDate = new DateOnly(2026, 1, 5).AddDays(i % 300),
    TargetUsers = 100 + i % 400,
    Baseline = new Baseline(10m + i % 7, 500m + i % 300, new Money(60m, "EUR"), 0.1m, 20m),
    PlannedRunCostPerMonth = new Money(1300m + i % 500, "EUR"),
}).ToList();

// The process's CPU time: on a shared machine, what the import costs whatever else is running.
static TimeSpan CpuTime() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

static string Person(int n) => string.Create(CultureInfo.InvariantCulture, $"{n + 1:x8}-0000-4000-8000-000000000000");

internal sealed class FixedToken : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new("benchmark-token", DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
