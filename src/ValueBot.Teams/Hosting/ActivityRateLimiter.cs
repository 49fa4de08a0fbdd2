using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Hosting;

/// <summary>Abuse limits on activities, section <c>Bot:RateLimits</c>: token buckets per conversation and per sender.</summary>
public sealed class BotRateLimitOptions
{
    /// <summary>Activities one conversation may send at once (bucket size).</summary>
    public int ConversationBurst { get; set; } = 30;

    /// <summary>Activities per minute one conversation may send on average.</summary>
    public int ConversationPerMinute { get; set; } = 60;

    /// <summary>Activities one sender (from.aadObjectId or from.id) may send at once.</summary>
    public int SenderBurst { get; set; } = 30;

    /// <summary>Activities per minute one sender may send on average.</summary>
    public int SenderPerMinute { get; set; } = 60;
}

/// <summary>
/// Applies <see cref="BotRateLimitOptions"/> after the activity is read (the conversation and sender are in the body;
/// the endpoint's per-address limit runs before it). In-memory per instance, from the shared framework's
/// System.Threading.RateLimiting.
/// </summary>
public sealed class ActivityRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ActivityRateLimiter(IOptions<BotOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.RateLimits;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => key.StartsWith("c:", StringComparison.Ordinal)
            ? Bucket(key, limits.ConversationBurst, limits.ConversationPerMinute)
            : Bucket(key, limits.SenderBurst, limits.SenderPerMinute));
    }

    /// <summary>Null when the activity may pass; otherwise how long the caller should wait.</summary>
    public TimeSpan? TryAcquire(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        foreach (var key in new[] { "c:" + activity.Conversation?.Id, "s:" + (activity.From?.AadObjectId ?? activity.From?.Id) })
        {
            using var lease = _limiter.AttemptAcquire(key);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            }
        }

        return null;
    }

    public void Dispose() => _limiter.Dispose();

    private static RateLimitPartition<string> Bucket(string key, int burst, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perMinute / 6),
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
