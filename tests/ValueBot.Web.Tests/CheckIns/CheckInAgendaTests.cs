using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.CheckIns.WeeklyCycleTests;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// The check-in agenda: a tick reads only the use cases whose next send, reminder or close has come, and any change
/// their timing depends on (schedule, owner's zone, stage, chat) puts them back on it, whichever code wrote the change.
/// </summary>
public sealed class CheckInAgendaTests
{
    private static readonly IsoWeek W11 = IsoWeek.Parse("2026-W11");

    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:BackoffBase"] = "00:00:00.050",
        ["Delivery:BackoffMax"] = "00:00:00.200",
    };

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task EachUseCaseWaitsForItsNextInstantInItsOwnersZoneAndAnIdleTickFindsNothingDue(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(8, 20)); // Sunday evening
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "Europe/Berlin", manager: null);
        Assert.Single(await DueAsync(host)); // new use cases are on the agenda at once

        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        Assert.Equal(new DateTime(2026, 3, 9, 8, 0, 0), await DueAtAsync(host, useCase.Id)); // Monday 09:00 Berlin (UTC+1)
        Assert.Empty(await DueAsync(host));

        clock.Set(Utc(9, 7, 59));
        Assert.Empty(await DueAsync(host));
        clock.Set(Utc(9, 8));
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        Assert.Equal(new DateTime(2026, 3, 11, 8, 0, 0), await DueAtAsync(host, useCase.Id)); // the reminder, Wednesday 09:00

        clock.Set(Utc(10, 12)); // Tuesday: an idle tick
        Assert.Empty(await DueAsync(host));
        Assert.Equal(new CheckInCycleReport(0, 0, 0, 0, 0), await RunAsync(host));

        clock.Set(Utc(11, 8));
        Assert.Equal(1, (await RunAsync(host)).Reminded);
        Assert.Equal(new DateTime(2026, 3, 13, 11, 0, 0), await DueAtAsync(host, useCase.Id)); // the close, Friday 12:00
        clock.Set(Utc(13, 11));
        Assert.Equal(1, (await RunAsync(host)).Missed);
        Assert.Equal(new DateTime(2026, 3, 16, 8, 0, 0), await DueAtAsync(host, useCase.Id)); // next Monday's send
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ANewScheduleWrittenStraightToTheDatabaseIsFollowed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(8, 20));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "UTC", manager: null);
        await RunAsync(host);

        await WriteAsync(host, db => db.Set<UseCaseRecord>().Where(u => u.Id == useCase.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.CheckInDay, DayOfWeek.Tuesday).SetProperty(u => u.CheckInTime, new TimeOnly(10, 30))));
        Assert.Single(await DueAsync(host));
        await RunAsync(host);
        Assert.Equal(new DateTime(2026, 3, 10, 10, 30, 0), await DueAtAsync(host, useCase.Id));

        clock.Set(Utc(9, 9));
        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        clock.Set(Utc(10, 10, 30));
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnerMovingToAnotherTimeZoneIsScheduledInTheNewOne(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(8, 20));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "Asia/Tokyo", manager: null);
        await RunAsync(host);
        Assert.Equal(new DateTime(2026, 3, 9, 0, 0, 0), await DueAtAsync(host, useCase.Id)); // Monday 09:00 Tokyo

        await WriteAsync(host, db => db.Set<Person>().Where(p => p.AadObjectId == Ada.AadObjectId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.TimeZone, "America/New_York")));
        clock.Set(Utc(9, 0));
        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        Assert.Equal(new DateTime(2026, 3, 9, 13, 0, 0), await DueAtAsync(host, useCase.Id)); // 09:00 New York (UTC−4)
        clock.Set(Utc(9, 13));
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        Assert.Equal("America/New_York", (await RowAsync(host, useCase.Id)).TimeZone);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AStoppedUseCaseLeavesTheAgendaAndComesBackWhenResumed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(8, 20));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "UTC", manager: null);
        await WriteAsync(host, db => db.Set<UseCaseRecord>().Where(u => u.Id == useCase.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Stage, Stage.Stopped)));
        await RunAsync(host);
        Assert.Null(await DueAtAsync(host, useCase.Id));

        clock.Set(Utc(9, 9));
        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        await WriteAsync(host, db => db.Set<UseCaseRecord>().Where(u => u.Id == useCase.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Stage, Stage.Pilot)));
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnerWhoInstallsLaterIsReachedOnTheNextTick(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 9));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "UTC", manager: null, install: false);
        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        Assert.Equal(CheckInStatus.Undeliverable, (await RowAsync(host, useCase.Id)).Status);
        Assert.Empty(await DueAsync(host));

        await InstallAsync(host, Ada);
        Assert.Single(await DueAsync(host));
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
    }

    private static Task<List<CheckInAgendaEntry>> DueAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => new CheckInAgenda(sp.GetRequiredService<ValueBotDbContext>(), sp.GetRequiredService<CheckInCalendar>(), sp.GetRequiredService<TimeProvider>())
            .DueAsync(sp.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None));

    private static async Task<DateTime?> DueAtAsync(ValueBotTestHost host, Guid useCaseId) =>
        await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckInAgendaEntry>().AsNoTracking()
            .Where(a => a.UseCaseId == useCaseId).Select(a => a.DueAt).SingleAsync()) is { } at
            ? DateTime.SpecifyKind(at, DateTimeKind.Unspecified)
            : null;

    private static Task<int> WriteAsync(ValueBotTestHost host, Func<ValueBotDbContext, Task<int>> write) =>
        host.WithScopeAsync(sp => write(sp.GetRequiredService<ValueBotDbContext>()));

    private static Task<CheckIn> RowAsync(ValueBotTestHost host, Guid useCaseId) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().SingleAsync(c => c.UseCaseId == useCaseId && c.Week == W11));
}
