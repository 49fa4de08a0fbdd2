using System.Diagnostics;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// A clock the test sets by hand, which then runs on in real time from there (so rate windows, leases and delays
/// behave as in production between two jumps). Timers are the system's.
/// </summary>
// Not FakeTimeProvider: these tests run the whole host, whose outbox sender and rate limiter need timers that fire in real time.
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _setTo = start;
    private long _setAt = Stopwatch.GetTimestamp();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _setTo + Stopwatch.GetElapsedTime(_setAt);
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            _setTo = now;
            _setAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// Tuesday 10:00 UTC of the machine's current ISO week, running on from there: the default of <see cref="ValueBotTestHost"/>,
    /// so a test that does not set its own time finds this week's check-in open (sent Monday, closing Friday 12:00) on
    /// whatever day the suite runs. The real clock made such tests fail from Friday noon to Monday morning.
    /// </summary>
    public static ManualClock MidWeek()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return new ManualClock(new DateTimeOffset(monday.AddDays(1), new TimeOnly(10, 0), TimeSpan.Zero));
    }
}
