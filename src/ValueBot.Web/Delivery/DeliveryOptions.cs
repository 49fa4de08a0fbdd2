using Microsoft.Extensions.Options;

namespace ValueBot.Web.Delivery;

/// <summary>
/// How the outbox sender paces and retries (section <c>Delivery</c>). The defaults follow Teams' published limits
/// (docs/protocol.md §5): 50 requests/s per app per tenant, and per conversation 7 in 1 s, 8 in 2 s, 60 in 30 s.
/// </summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>Run the sender in this instance. Several instances may send from one PostgreSQL database.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sends per second per tenant, across this instance (Teams: 50 per app per tenant).</summary>
    public int RequestsPerSecondPerTenant { get; set; } = 50;

    public int ConversationLimitPerSecond { get; set; } = 7;

    public int ConversationLimitPer2Seconds { get; set; } = 8;

    public int ConversationLimitPer30Seconds { get; set; } = 60;

    /// <summary>
    /// Added to every rate window. Network delay is covered already (a slot counts until its response is in, see
    /// <see cref="SendRateLimiter"/>), so this only has to cover the granularity of the clocks and timers on both
    /// sides: 10 ms. Each millisecond costs ~0.1 % of the rate (50 per 1 s + margin + the round trip).
    /// </summary>
    public TimeSpan WindowMargin { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Sends in flight at once.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Most messages claimed per database round trip.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>How long to sleep when nothing is due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claimed message belongs to this instance unless renewed; the sender renews its leases while alive, so
    /// this is how soon another instance takes over the rows of one that died.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a message without its own expiry (<see cref="OutboxMessage.ExpiresAt"/>) keeps being retried after it
    /// was queued; then it is given up (Failed) and reported. A check-in card expires at its week's deadline instead.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>First retry delay after a transient failure; doubles per attempt up to <see cref="BackoffMax"/>, ±20 % jitter.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to pause after a 429 without <c>Retry-After</c>.</summary>
    public TimeSpan ThrottleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait between two tries while the database cannot be reached: the sender waits an outage out, starting
    /// at <see cref="PollInterval"/> and doubling up to this, and resumes by itself once the database answers.
    /// </summary>
    public TimeSpan OutageBackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>/health/ready</c> fails when a message has been due for longer than this and the sender has made no progress
    /// (no claim, no result stored) for as long.
    /// </summary>
    public TimeSpan StallThreshold { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the sender refreshes the backlog gauges and settles sends left in doubt by a dead sender.</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A copy with another per-tenant rate (an instance's share of it).</summary>
    internal DeliveryOptions WithRequestsPerSecondPerTenant(int rate)
    {
        var copy = (DeliveryOptions)MemberwiseClone();
        copy.RequestsPerSecondPerTenant = rate;
        return copy;
    }
}

internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions o)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add("Delivery:" + message);
            }
        }

        Require(o.RequestsPerSecondPerTenant is >= 1 and <= 50, "RequestsPerSecondPerTenant must be between 1 and 50 (Teams' limit per app per tenant).");
        Require(o.ConversationLimitPerSecond is >= 1 and <= 7, "ConversationLimitPerSecond must be between 1 and 7.");
        Require(o.ConversationLimitPer2Seconds >= o.ConversationLimitPerSecond && o.ConversationLimitPer2Seconds <= 8, "ConversationLimitPer2Seconds must be at least ConversationLimitPerSecond and at most 8.");
        Require(o.ConversationLimitPer30Seconds >= o.ConversationLimitPer2Seconds && o.ConversationLimitPer30Seconds <= 60, "ConversationLimitPer30Seconds must be at least ConversationLimitPer2Seconds and at most 60.");
        Require(o.WindowMargin >= TimeSpan.Zero && o.WindowMargin <= TimeSpan.FromSeconds(1), "WindowMargin must be between 0 and 1 s.");
        Require(o.MaxConcurrency is >= 1 and <= 256, "MaxConcurrency must be between 1 and 256.");
        Require(o.BatchSize is >= 1 and <= 1000, "BatchSize must be between 1 and 1000.");
        Require(o.PollInterval > TimeSpan.Zero, "PollInterval must be positive.");
        Require(o.LeaseDuration >= TimeSpan.FromSeconds(1), "LeaseDuration must be at least 1 s.");
        Require(o.GiveUpAfter > TimeSpan.Zero, "GiveUpAfter must be positive.");
        Require(o.BackoffBase > TimeSpan.Zero && o.BackoffMax >= o.BackoffBase, "BackoffBase must be positive and BackoffMax at least BackoffBase.");
        Require(o.ThrottleDelay > TimeSpan.Zero, "ThrottleDelay must be positive.");
        Require(o.OutageBackoffMax >= o.PollInterval, "OutageBackoffMax must be at least PollInterval.");
        Require(o.StallThreshold > TimeSpan.Zero, "StallThreshold must be positive.");
        Require(o.HousekeepingInterval > TimeSpan.Zero, "HousekeepingInterval must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
