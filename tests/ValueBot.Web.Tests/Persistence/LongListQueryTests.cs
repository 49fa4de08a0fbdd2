using Microsoft.EntityFrameworkCore;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.Persistence;

/// <summary>
/// A query over a list of ids longer than SQLite's 32,766 variables (the check-in cycle's due use cases at 50,000) runs
/// on the application's context and finds what it should, on both engines.
/// </summary>
public sealed class LongListQueryTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AListOfFortyThousandIdsIsOneParameter(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Delivery:Enabled"] = "false" });
        var useCase = CheckIns.CheckInWorld.InvoiceTriage(Guid.NewGuid());
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));
        var ids = Enumerable.Range(0, 40_000).Select(_ => Guid.NewGuid()).Append(useCase.Id).ToList();
        var thisWeek = host.Time.GetUtcNow();
        var weeks = new[] { Domain.Periods.IsoWeek.FromDate(DateOnly.FromDateTime(thisWeek.UtcDateTime)) }.SelectMany(w => new[] { w, w.Previous() }).ToList();

        await Admin.AdminClient.SeedAnswerAsync(host, useCase.Id.ToString(), weeks[0].ToString(), activeUsers: 40);

        var found = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<UseCaseRecord>().AsNoTracking()
            .Where(u => ids.Contains(u.Id)).Select(u => u.Name).ToListAsync());
        var rows = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking()
            .Where(c => ids.Contains(c.UseCaseId) && weeks.Contains(c.Week)).CountAsync());

        Assert.Equal(["Invoice triage"], found);
        Assert.Equal(1, rows); // the week matched through the list too: its converter holds inside the array parameter
    }
}
