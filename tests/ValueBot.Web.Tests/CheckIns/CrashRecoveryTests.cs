using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// The built ValueBot.Web.dll as its own process, killed in the middle of the Monday fan-out and started again on
/// the same database: every owner ends with exactly one check-in card.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Owners = 60;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task KilledMidFanOutAndRestartedEveryOwnerHasExactlyOneCard(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // The test host only seeds the database and lends its fake connector; it sends and schedules nothing itself.
        await using var seed = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Delivery:Enabled"] = "false" }, TimeProvider.System);
        var users = Enumerable.Range(0, Owners).Select(i => new User($"29:o{i}", $"aad-o{i}", $"Owner {i}", $"a:personal-o{i}")).ToList();
        foreach (var user in users)
        {
            await WeeklyCycleTests.SeedOwnerAsync(seed, user, "UTC", manager: null);
        }

        await seed.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Database.ExecuteSqlRawAsync(
            "UPDATE use_cases SET check_in_day = 'Monday', check_in_time = '00:00'"));
        var connector = seed.Connector;
        connector.Reset(); // forget the welcome cards

        await using (var first = AppProcess.Start(database.ConnectionString))
        {
            await WaitAsync(() => Cards(seed).Count >= 15, TimeSpan.FromSeconds(60), () => "the first process never got going:\n" + first.Output);
            connector.HoldResponses();
            // Let every request already on its way arrive (and be held), then kill: those are in Teams' hands.
            await WaitUntilQuietAsync(seed);
            Assert.True(connector.HeldCount > 0, "no send was on the wire when the process was killed");
            first.Kill();
        }

        connector.ReleaseResponses();
        var before = Cards(seed).Count;
        Assert.InRange(before, 15, Owners - 1);

        await using (var second = AppProcess.Start(database.ConnectionString))
        {
            await WaitAsync(() => AllDeliveredAsync(seed), TimeSpan.FromSeconds(90), () => "the restarted process did not finish:\n" + second.Output);
        }

        var cards = Cards(seed);
        Assert.Equal(Owners, cards.Count);
        Assert.All(users, u => Assert.Single(cards, c => c.Route[1] == u.ConversationId));
        var states = await seed.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking().Select(m => m.State).ToListAsync());
        Assert.Contains(OutboxState.InDoubt, states); // the held sends: not posted a second time
        Assert.All(await seed.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().ToListAsync()),
            c => Assert.Equal(CheckInStatus.Sent, c.Status));
    }

    private static List<Testing.RecordedRequest> Cards(ValueBotTestHost host) =>
        WeeklyCycleTests.Posts(host).Where(p => p.Body.Contains("Weekly check-in:")).ToList();

    private static async Task<bool> AllDeliveredAsync(ValueBotTestHost host) =>
        await host.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ValueBotDbContext>();
            var rows = await db.Set<CheckIn>().AsNoTracking().Select(c => c.Status).ToListAsync();
            var open = await db.Set<OutboxMessage>().CountAsync(m => m.State == OutboxState.Pending || m.State == OutboxState.Sending);
            return rows.Count == Owners && rows.All(s => s == CheckInStatus.Sent) && open == 0;
        });

    private static async Task WaitUntilQuietAsync(ValueBotTestHost host)
    {
        var count = -1;
        while (host.Connector.Requests.Count != count)
        {
            count = host.Connector.Requests.Count;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> explain) =>
        WaitAsync(() => Task.FromResult(condition()), timeout, explain);

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(explain());
            }

            await Task.Delay(100);
        }
    }

    /// <summary>ValueBot.Web.dll in local mode with a one-second schedule tick, as its own process.</summary>
    internal sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private AppProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output => string.Join("\n", _output.TakeLast(60));

        public static AppProcess Start(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ValueBot.Web.dll"), "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["ConnectionStrings__ValueBot"] = connectionString;
            start.Environment["Bot__LocalMode"] = "true";
            start.Environment["Delivery__PollInterval"] = "00:00:00.100";
            start.Environment["Delivery__LeaseDuration"] = "00:00:05";
            start.Environment["Delivery__MaxConcurrency"] = "8";
            foreach (var (key, value) in ScheduleTests.OpenAllWeek.Where(s => s.Key.StartsWith("Schedule:", StringComparison.Ordinal)))
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            return new AppProcess(Process.Start(start)!);
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
            }
        }
    }
}
