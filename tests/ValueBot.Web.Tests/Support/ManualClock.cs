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
}
