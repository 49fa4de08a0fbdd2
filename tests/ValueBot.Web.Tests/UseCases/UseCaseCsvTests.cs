using System.Globalization;
using System.Net;
using System.Text;
using ValueBot.Domain.Policies;
using ValueBot.Web.Admin;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.UseCases;

/// <summary>CSV import and export of the registry through the admin API.</summary>
public sealed class UseCaseCsvTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AThousandRowRegistryRoundTripsThroughImportAndExport(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var file = Registry(1000);

        var imported = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases/import", file, contentType: "text/csv");
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(1000, (await JsonAsync(imported))["created"]!.GetValue<int>());

        var exported = await (await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases/export")).Content.ReadAsStringAsync();
        Assert.Equal(Sorted(file), Sorted(exported));

        // Importing the export again changes nothing.
        var again = await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases/import", exported, contentType: "text/csv"));
        Assert.Equal(1000, again["updated"]!.GetValue<int>());
        Assert.Equal(Sorted(file), Sorted(await (await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases/export")).Content.ReadAsStringAsync()));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AFileWithOneBadRowImportsNothingAndNamesTheLine(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var lines = Registry(20).TrimEnd('\n').Split('\n');
        var bad = Array.FindIndex(lines, l => l.Contains("Use case 19,", StringComparison.Ordinal));
        lines[bad] = lines[bad].Replace(",processReengineering,", ",notAModel,", StringComparison.Ordinal);

        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases/import", string.Join('\n', lines) + "\n", contentType: "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(bad + 1, error!["line"]!.GetValue<int>());
        Assert.Equal("valueModel", error["field"]!.GetValue<string>());
        var list = await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases?includeRetired=true"));
        Assert.Equal(0, list["total"]!.GetValue<int>());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOverrideOutOfRangeImportsNothingAndNamesItsColumn(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Policy:ScaleWindowWeeks"] = "10" });
        var header = string.Join(',', UseCaseCsv.Columns);
        string Row(string name, string costDriftFactor, string scaleMinAnsweredWeeks, string minAdoption) => string.Join(',', UseCaseCsv.Columns.Select(c => c switch
        {
            "name" => name, "valueModel" => "expertCapability", "targetUsers" => "10", "currency" => "EUR",
            "baselineMinutesPerTask" => "12", "hourlyCost" => "60", "plannedRunCostPerMonth" => "500",
            "costDriftFactor" => costDriftFactor, "scaleMinAnsweredWeeks" => scaleMinAnsweredWeeks, "minAdoption" => minAdoption,
            _ => "",
        }));
        var file = string.Join('\n', header, Row("Fine", "1.5", "", "0.5"), Row("Drift", "0.8", "", ""), Row("Scale", "", "11", ""), Row("Adoption", "", "", "60")) + "\n";

        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases/import", file, contentType: "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response))["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();
        // The organisation's scale window is 10 weeks, so 11 answered weeks cannot fit.
        Assert.Equal([(3, "costDriftFactor"), (4, "scaleMinAnsweredWeeks"), (5, "minAdoption")], errors);
        var list = await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases?includeRetired=true"));
        Assert.Equal(0, list["total"]!.GetValue<int>());
    }

    /// <summary>A generated registry in the export format; every fifth row is process re-engineering.</summary>
    private static string Registry(int rows)
    {
        var text = new StringBuilder();
        CsvText.WriteRow(text, UseCaseCsv.Columns);
        var models = new[] { "workforceEmpowerment", "aiNativeDistribution", "expertCapability", "systemsAndDependencyManagement", "processReengineering" };
        var stages = new[] { "pilot", "production", "scaling", "redesign", "hold", "stopped" };
        for (var i = 0; i < rows; i++)
        {
            string F(decimal d) => d.ToString("0.############", CultureInfo.InvariantCulture);
            CsvText.WriteRow(text,
            [
                new Guid(i + 1, 0, 0, new byte[8]).ToString("D"), $"Use case {i}, \"quoted\"", i % 7 == 0 ? "multi\nline description" : "",
                models[i % 5], stages[i % 6], $"6a1c0e52-0000-4000-8000-{i % 50:D12}", $"Owner {i % 50}", i % 3 == 0 ? $"6a1c0e52-0000-4000-9000-{i:D12}" : "", i % 3 == 0 ? $"Delegate {i}" : "",
                "", "", "Finance", "Accounts payable", i % 2 == 0 ? "cost" : "revenue", "30 % less effort",
                i % 4 == 0 ? "" : "2026-01-05", (10 + i).ToString(CultureInfo.InvariantCulture), "EUR",
                F(12.5m + i % 10), F(400), F(60.25m), F(0.05m), F(20), F(0.3m), F(2000 + i), F(0.15m), F(0.6m), i % 2 == 0 ? F(0.1m) : "",
                "monday", "09:00", i % 10 == 0 ? "true" : "false",
                // Some rows override rule parameters; the rest follow the organisation.
                .. PolicyParameters.Rules.Select((p, k) => (i + k) % 4 != 0 || p.Name.StartsWith("scaleMin", StringComparison.Ordinal) ? ""
                    : p.Kind switch { PolicyParameterKind.Share => F(0.05m * (1 + k % 5)), PolicyParameterKind.Factor => F(1.35m), _ => F(12 + k % 6) }),
            ]);
        }

        return text.ToString();
    }

    private static string Sorted(string csv)
    {
        var records = CsvText.Read(csv).Select(r => string.Join("\u001f", r.Fields)).ToList();
        return records[0] + "\n" + string.Join("\n", records.Skip(1).Order(StringComparer.Ordinal));
    }
}
