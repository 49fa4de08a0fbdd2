namespace ValueBot.Web.Delivery;

/// <summary>
/// Paces sends to Teams' limits: a sliding-window log per tenant (N per second) and per conversation
/// (7/1 s, 8/2 s, 60/30 s), plus a global pause after a 429. A sliding log rather than a token bucket: a bucket
/// refilling at 50/s with a burst of 50 can let ~100 requests into one second, which Teams would see as 100/s.
/// Both windows are taken together under one lock, so a send waiting for its conversation holds no tenant slot.
/// A slot counts from when it is granted and, once the response is in, from when the response arrived: Teams counts
/// the request somewhere in between, and a request slowed on its way (a new connection, a token refresh, a slow
/// on-the-wire mark) must not let the next window open early. While the request is out its slot never leaves a
/// window. So of any 51 requests, the last is granted only after some earlier one's response is more than a window
/// old, and Teams cannot have seen those 51 in one second: the margin only has to cover the clocks' granularity, not
/// the network. That costs the round trip per window in throughput; blocking costs more.
/// </summary>
internal sealed class SendRateLimiter(DeliveryOptions initial, TimeProvider time)
{
    private DeliveryOptions options = initial;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Slot>> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Slot>> _conversations = new(StringComparer.Ordinal);
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    private (int Limit, TimeSpan Window)[] TenantWindows =>
        [(options.RequestsPerSecondPerTenant, TimeSpan.FromSeconds(1) + options.WindowMargin)];

    private (int Limit, TimeSpan Window)[] ConversationWindows =>
    [
        (options.ConversationLimitPerSecond, TimeSpan.FromSeconds(1) + options.WindowMargin),
        (options.ConversationLimitPer2Seconds, TimeSpan.FromSeconds(2) + options.WindowMargin),
        (options.ConversationLimitPer30Seconds, TimeSpan.FromSeconds(30) + options.WindowMargin),
    ];

    /// <summary>This instance's sends per second per tenant (its share of Teams' budget).</summary>
    public int TenantRate => Volatile.Read(ref options).RequestsPerSecondPerTenant;

    /// <summary>Takes another share of the tenant's budget, e.g. when an instance joined or disappeared.</summary>
    public void SetTenantRate(int rate)
    {
        lock (_gate)
        {
            if (options.RequestsPerSecondPerTenant != rate)
            {
                options = options.WithRequestsPerSecondPerTenant(rate);
            }
        }
    }

    /// <summary>Until when every send waits because Teams answered 429.</summary>
    public DateTimeOffset PausedUntil
    {
        get
        {
            lock (_gate)
            {
                return _pausedUntil;
            }
        }
    }

    /// <summary>Stops all sends until <paramref name="until"/> (never shortens an existing pause).</summary>
    public void Pause(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    /// <summary>
    /// Waits for a slot for one send. Returns false without taking a slot when the wait would pass
    /// <paramref name="deadline"/> (the caller's lease), so the caller can hand the message back.
    /// </summary>
    public async Task<SendPermit?> AcquireAsync(string tenant, string conversation, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                Prune(now);
                var tenantLog = Log(_tenants, tenant);
                var conversationLog = Log(_conversations, conversation);
                wait = Max(_pausedUntil - now, Wait(tenantLog, TenantWindows, now), Wait(conversationLog, ConversationWindows, now));
                if (wait <= TimeSpan.Zero)
                {
                    return new SendPermit(
                        Record(tenantLog, now, TenantWindows[^1].Window),
                        Record(conversationLog, now, ConversationWindows[^1].Window));
                }

                if (now + wait > deadline)
                {
                    return null;
                }
            }

            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The permit was not used for a request: its slots stop counting.</summary>
    public void Discard(SendPermit permit)
    {
        lock (_gate)
        {
            permit.Tenant.At = DateTimeOffset.MinValue;
            permit.Conversation.At = DateTimeOffset.MinValue;
            permit.Tenant.InFlight = permit.Conversation.InFlight = false;
        }
    }

    /// <summary>The send is done: its slots count from now.</summary>
    public void Complete(SendPermit permit)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            permit.Tenant.At = now;
            permit.Conversation.At = now;
            permit.Tenant.InFlight = permit.Conversation.InFlight = false;
        }
    }

    private static Queue<Slot> Log(Dictionary<string, Queue<Slot>> logs, string key)
    {
        if (!logs.TryGetValue(key, out var log))
        {
            log = new Queue<Slot>();
            logs[key] = log;
        }

        return log;
    }

    /// <summary>How long until one more request fits every window.</summary>
    private static TimeSpan Wait(Queue<Slot> log, (int Limit, TimeSpan Window)[] windows, DateTimeOffset now)
    {
        var wait = TimeSpan.Zero;
        foreach (var (limit, window) in windows)
        {
            // A request still out counts as if it had just been granted, checked again shortly.
            var inWindow = log.Select(s => s.InFlight && s.At < now - window + InFlightRecheck ? now - window + InFlightRecheck : s.At)
                .Where(t => t > now - window).Order().ToList();
            if (inWindow.Count < limit)
            {
                continue;
            }

            // The (count - limit + 1)-th oldest request in the window must leave it before one more fits.
            var mustExpire = inWindow[inWindow.Count - limit];
            if (mustExpire + window - now > wait)
            {
                wait = mustExpire + window - now;
            }
        }

        return wait;
    }

    private static Slot Record(Queue<Slot> log, DateTimeOffset now, TimeSpan longestWindow)
    {
        while (log.Count > 0 && !log.Peek().InFlight && log.Peek().At <= now - longestWindow)
        {
            log.Dequeue();
        }

        var slot = new Slot { At = now, InFlight = true };
        log.Enqueue(slot);
        return slot;
    }

    /// <summary>Forgets conversations idle for longer than the longest window, so the map stays small.</summary>
    private void Prune(DateTimeOffset now)
    {
        if (now - _lastPrune < TimeSpan.FromSeconds(30))
        {
            return;
        }

        _lastPrune = now;
        Prune(_conversations, now - ConversationWindows[^1].Window);
        Prune(_tenants, now - TenantWindows[^1].Window);
    }

    private static void Prune(Dictionary<string, Queue<Slot>> logs, DateTimeOffset horizon)
    {
        foreach (var key in logs.Where(kv => kv.Value.Count == 0 || kv.Value.All(slot => !slot.InFlight && slot.At <= horizon)).Select(kv => kv.Key).ToList())
        {
            logs.Remove(key);
        }
    }

    /// <summary>How soon a waiter looks again at a window held full by a request still out after a whole window.</summary>
    private static readonly TimeSpan InFlightRecheck = TimeSpan.FromMilliseconds(5);

    private static TimeSpan Max(params TimeSpan[] values) => values.Max();
}

/// <summary>One counted request in a rate window.</summary>
internal sealed class Slot
{
    public DateTimeOffset At { get; set; }

    /// <summary>Granted, and its response not in yet (nor the permit discarded).</summary>
    public bool InFlight { get; set; }
}

/// <summary>The slots one send took; hand back to <see cref="SendRateLimiter.Complete"/> when the response is in.</summary>
internal sealed record SendPermit(Slot Tenant, Slot Conversation);
