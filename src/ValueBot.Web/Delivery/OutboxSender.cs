using System.Text.Json;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;

namespace ValueBot.Web.Delivery;

/// <summary>
/// Delivers the outbox: claims due messages in batches under a lease, sends them concurrently while keeping under
/// Teams' limits by itself (<see cref="SendRateLimiter"/>), and stores each result at once.
/// <list type="bullet">
/// <item>Success → Sent with Teams' activity id.</item>
/// <item>429 → Pending again after <c>Retry-After</c> (or <see cref="DeliveryOptions.ThrottleDelay"/>), and every
/// send of this instance pauses as long (Company Communicator's global throttle state).</item>
/// <item>Clearly not delivered (503, 408, 412, a connection that could not be opened) → Pending after exponential
/// backoff with jitter, for as long as the message is worth sending (its expiry, e.g. a check-in's deadline, else
/// <see cref="DeliveryOptions.GiveUpAfter"/>), then Failed.</item>
/// <item>Ambiguous (500, 502, 504, a timeout, a connection lost after the request was written) → InDoubt for a new
/// post, never posted again; an update in place is simply retried.</item>
/// <item>Teams' stop-sending codes (<see cref="ConnectorResult{T}.StopSendingCodes"/>) → Undeliverable, with every other
/// message waiting for that conversation; other 403/404 → Undeliverable; 413 and other failures → Failed.
/// <see cref="IDeliveryObserver"/>s are told.</item>
/// </list>
/// A crash never makes a new post go out twice. Each attempt is marked "on the wire" in the database just before
/// the request leaves; a sender that dies before that point leaves a message another sender picks up once the lease
/// expires, and one that dies after it leaves the message InDoubt: Teams may have it, and the Connector has no
/// idempotency key to ask, so it is not posted again (observers are told; for a check-in the Wednesday reminder makes
/// good a card that did not arrive). Updates in place (PUT) are repeated, since repeating them is harmless.
/// Several instances share Teams' per-tenant budget by each taking its share (<c>Deployment:InstanceCount</c>).
/// On shutdown, claiming stops, sends already on the wire complete and are recorded, and messages still waiting
/// for a rate slot are handed back as Pending.
/// </summary>
public sealed partial class OutboxSender : BackgroundService
{
    private readonly IConnectorClient _connector;
    private readonly OutboxStore _store;
    private readonly SendRateLimiter _limiter;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly IEnumerable<IDeliveryObserver> _observers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly IReadOnlyList<IOutboxGate> _gates;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte> _working = new();
    private long _lastProgressTicks;
    private OutboxBacklog? _backlog;

    internal OutboxSender(
        IConnectorClient connector,
        OutboxStore store,
        IOptions<DeliveryOptions> options,
        int instanceCount,
        TimeProvider time,
        IEnumerable<IDeliveryObserver> observers,
        ILogger<OutboxSender> logger,
        ValueBot.Web.Observability.ValueBotMetrics? metrics = null,
        IEnumerable<IOutboxGate>? gates = null)
    {
        _gates = gates?.ToList() ?? [];
        _connector = connector;
        _store = store;
        _options = options.Value;
        _time = time;
        _observers = observers;
        _logger = logger;
        // Instances do not share their pacing state, so each takes its share of the tenant's budget.
        _limiter = new SendRateLimiter(PerInstance(_options, instanceCount), time);
        _slots = new SemaphoreSlim(_options.MaxConcurrency);
        _lastProgressTicks = time.GetUtcNow().UtcTicks;
        metrics?.ObserveOutbox(() => Backlog, time);
        Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>The options with the per-tenant rate divided among <paramref name="instanceCount"/> instances (at least 1/s each).</summary>
    internal static DeliveryOptions PerInstance(DeliveryOptions options, int instanceCount)
    {
        if (instanceCount <= 1)
        {
            return options;
        }

        return options.WithRequestsPerSecondPerTenant(Math.Max(1, options.RequestsPerSecondPerTenant / instanceCount));
    }

    /// <summary>This sender's lease owner name.</summary>
    public string Owner { get; }

    /// <summary>When this sender last made progress: a claim answered, or a send's result stored.</summary>
    public DateTimeOffset LastProgressAt => new(Interlocked.Read(ref _lastProgressTicks), TimeSpan.Zero);

    /// <summary>The outbox backlog as last seen by this sender (refreshed every <see cref="DeliveryOptions.HousekeepingInterval"/>).</summary>
    public OutboxBacklog? Backlog => Volatile.Read(ref _backlog);

    /// <summary>Whether this instance runs a sender at all (<see cref="DeliveryOptions.Enabled"/>).</summary>
    public bool Enabled => _options.Enabled;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        await Task.Yield();
        var inFlight = new List<Task>();
        var failures = 0;

        // Housekeeping (heartbeat, lease renewals, rate share) keeps its own cadence: a claim loop held up by busy
        // slots, a 429 pause or a slow database must not make the other instances count this one dead.
        using var housekeepingStop = new CancellationTokenSource();
        var firstHousekeeping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var housekeeping = HousekeepingLoopAsync(firstHousekeeping, housekeepingStop.Token);
        await firstHousekeeping.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                var now = _time.GetUtcNow();
                var paused = _limiter.PausedUntil;
                if (paused > now)
                {
                    await Task.Delay(paused - now, _time, stoppingToken);
                    continue;
                }

                var claimed = await ClaimAsync(now, stoppingToken);
                failures = 0;
                if (claimed.Count == 0)
                {
                    await Task.Delay(_options.PollInterval, _time, stoppingToken);
                    continue;
                }

                var leaseUntil = now + _options.LeaseDuration - TimeSpan.FromSeconds(Math.Min(5, _options.LeaseDuration.TotalSeconds / 4));
                var withdrawn = await WithdrawnAsync(claimed, stoppingToken);
                foreach (var message in claimed)
                {
                    inFlight.Add(withdrawn.Contains(message.DedupeKey) ? WithdrawAsync(message) : DeliverAsync(message, leaseUntil, stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Most often the database is away: wait it out with growing pauses, then carry on by ourselves.
                failures++;
                var delay = OutageBackoff(failures);
                Log.LoopFailed(_logger, failures, delay, e);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(inFlight);
        await housekeepingStop.CancelAsync();
        await housekeeping;
        try
        {
            await _store.LeaveAsync(Owner, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.LoopFailed(_logger, 1, TimeSpan.Zero, e); // it ages out of the live senders by itself
        }
    }

    /// <summary>
    /// Takes a concurrency slot per message and claims as many messages as slots are free. In a steady stream each
    /// finished send frees one slot, and claiming one message at a time would cost a claim (and a gate query) per send:
    /// while other sends are still busy, it gathers up to half the slots for a moment first. Every slot taken is
    /// handed back when the claim fails or returns fewer messages.
    /// </summary>
    private async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        await _slots.WaitAsync(stoppingToken);
        var held = 1;
        try
        {
            while (held < _options.BatchSize && _slots.Wait(0))
            {
                held++;
            }

            var wanted = Math.Min(_options.BatchSize, Math.Max(1, _options.MaxConcurrency / 2));
            var gathering = System.Diagnostics.Stopwatch.StartNew();
            while (held < wanted && ClaimGathering - gathering.Elapsed is var left && left > TimeSpan.Zero
                && await _slots.WaitAsync(left, stoppingToken))
            {
                held++;
                while (held < _options.BatchSize && _slots.Wait(0))
                {
                    held++;
                }
            }

            now = _time.GetUtcNow();

            var claimed = await _store.ClaimAsync(Owner, now.UtcDateTime, (now + _options.LeaseDuration).UtcDateTime, held, stoppingToken);
            MarkProgress();
            foreach (var message in claimed)
            {
                _working[message.Id] = 0;
            }

            if (held > claimed.Count)
            {
                _slots.Release(held - claimed.Count);
            }

            return claimed;
        }
        catch
        {
            _slots.Release(held);
            throw;
        }
    }

    /// <summary>The keys of claimed messages some <see cref="IOutboxGate"/> no longer wants sent; a failing gate withdraws nothing.</summary>
    private async Task<IReadOnlySet<string>> WithdrawnAsync(IReadOnlyList<ClaimedMessage> claimed, CancellationToken stoppingToken)
    {
        var withdrawn = new HashSet<string>(StringComparer.Ordinal);
        var keys = claimed.Select(m => m.DedupeKey).ToList();
        foreach (var gate in _gates)
        {
            try
            {
                withdrawn.UnionWith(await gate.WithdrawnAsync(keys, stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.GateFailed(_logger, e);
            }
        }

        return withdrawn;
    }

    private async Task GiveBackAsync(ClaimedMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var now = _time.GetUtcNow().UtcDateTime;
            await StoreDurablyAsync(message.Id, () => _store.RescheduleAsync(message.Id, Owner, now, null, refundAttempt: true, now, CancellationToken.None), stoppingToken);
        }
        catch (Exception e)
        {
            Log.DeliveryFailed(_logger, message.Id, e); // its lease is no longer renewed: another claim takes it soon
        }
    }

    private async Task WithdrawAsync(ClaimedMessage message)
    {
        try
        {
            await FinishAsync(message, OutboxState.Withdrawn, "no longer wanted when its turn came", null, _time.GetUtcNow());
        }
        catch (Exception e)
        {
            // Left Sending without being on the wire: claimed again once its lease ends.
            Log.DeliveryFailed(_logger, message.Id, e);
        }
        finally
        {
            _working.TryRemove(message.Id, out _);
            _slots.Release();
        }
    }

    /// <summary>
    /// Housekeeps every <see cref="HousekeepingPeriod"/> (at once again when one round took longer) until
    /// <paramref name="stop"/>, which comes after the last send in flight is recorded, so its leases are renewed to
    /// the end. A failed round (the database away) is logged and tried again next period.
    /// </summary>
    private async Task HousekeepingLoopAsync(TaskCompletionSource first, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = _time.GetUtcNow();
            try
            {
                await HousekeepAsync(started, stop);
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                Log.HousekeepingFailed(_logger, failures, e);
            }
            finally
            {
                first.TrySetResult();
            }

            var wait = started + HousekeepingPeriod - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Renews this sender's leases and notes it alive, takes its share of the rate among the senders alive now (so
    /// when one disappears the others take over its share within a few intervals, and its rows once their short lease
    /// ends), settles sends a dead sender left on the wire, and refreshes the backlog the gauges show.
    /// </summary>
    private async Task HousekeepAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        var alive = await _store.HeartbeatAsync(Owner, _working.Keys.ToList(), (now + _options.LeaseDuration).UtcDateTime, now.UtcDateTime, (now - (3 * HousekeepingPeriod)).UtcDateTime, stoppingToken);
        var share = Math.Max(1, _options.RequestsPerSecondPerTenant / alive);
        if (share != _limiter.TenantRate)
        {
            Log.RateShare(_logger, alive, share);
            _limiter.SetTenantRate(share);
        }

        foreach (var message in await _store.SettleInDoubtAsync(now.UtcDateTime, stoppingToken))
        {
            Log.Finished(_logger, message.Id, message.DedupeKey, OutboxState.InDoubt, "sender stopped mid-send");
            await NotifyAsync(message, OutboxState.InDoubt, null, "sender stopped mid-send");
        }

        Volatile.Write(ref _backlog, await _store.BacklogAsync(now.UtcDateTime, stoppingToken));
    }

    /// <summary>Longest wait for more free slots before a claim (a batching heuristic on the real clock, not pacing).</summary>
    private static readonly TimeSpan ClaimGathering = TimeSpan.FromMilliseconds(100);

    /// <summary>Often enough to renew a lease three times before it ends.</summary>
    private TimeSpan HousekeepingPeriod =>
        _options.HousekeepingInterval < _options.LeaseDuration / 3 ? _options.HousekeepingInterval : _options.LeaseDuration / 3;

    private void MarkProgress() => Interlocked.Exchange(ref _lastProgressTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>PollInterval × 2^(failures−1), capped at OutageBackoffMax.</summary>
    private TimeSpan OutageBackoff(int failures)
    {
        var delay = _options.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        return TimeSpan.FromMilliseconds(Math.Min(delay, _options.OutageBackoffMax.TotalMilliseconds));
    }

    private async Task DeliverAsync(ClaimedMessage message, DateTimeOffset leaseDeadline, CancellationToken stoppingToken)
    {
        var onWire = false;
        try
        {
            SendPermit? permit;
            try
            {
                permit = await _limiter.AcquireAsync(message.TenantId ?? "", message.ConversationId, leaseDeadline, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                permit = null;
            }

            var now = _time.GetUtcNow();
            if (permit is not null && now >= ExpiryOf(message))
            {
                _limiter.Discard(permit);
                await StoreDurablyAsync(message.Id, () => FinishAsync(message, OutboxState.Failed, $"gave up at {ExpiryOf(message):u}: not sent in time ({message.Attempts - 1} attempts)", null, now), stoppingToken);
                return;
            }

            if (permit is null)
            {
                // Shutting down, or the wait would outlast the lease: hand it back untouched.
                var due = stoppingToken.IsCancellationRequested ? now : Max(now, _limiter.PausedUntil);
                await StoreDurablyAsync(message.Id, () => _store.RescheduleAsync(message.Id, Owner, due.UtcDateTime, null, refundAttempt: true, now.UtcDateTime, CancellationToken.None), stoppingToken);
                return;
            }

            // Sends on the wire are not cancelled by shutdown: the HttpClient timeout bounds them.
            ConnectorResult<ResourceResponse> result;
            try
            {
                if (!await _store.MarkOnWireAsync(message.Id, Owner, now.UtcDateTime, CancellationToken.None))
                {
                    Log.LeaseLost(_logger, message.Id);
                    return;
                }

                // However long the mark took, the permit's slots count until the response is in (SendRateLimiter).
                onWire = true;
                result = await SendAsync(message);
            }
            finally
            {
                _limiter.Complete(permit);
            }

            await StoreDurablyAsync(message.Id, () => RecordAsync(message, result), stoppingToken);
            MarkProgress();
        }
        catch (Exception e)
        {
            Log.DeliveryFailed(_logger, message.Id, e);
            if (!onWire)
            {
                // Never sent: hand it back rather than leave it leased (a failed on-wire mark, a database away).
                await GiveBackAsync(message, stoppingToken);
            }
        }
        finally
        {
            _working.TryRemove(message.Id, out _);
            _slots.Release();
        }
    }

    /// <summary>
    /// Stores a result, trying again while the database is away: what Teams answered must not be lost to an outage
    /// (a lost "sent" would later read as in doubt, a lost "throttled" too). Gives up only when shutting down.
    /// </summary>
    private async Task StoreDurablyAsync(long id, Func<Task> write, CancellationToken stoppingToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested || failures < 3)
            {
                var delay = OutageBackoff(failures);
                Log.StoreFailed(_logger, id, failures, delay, e);
                await Task.Delay(delay, _time, CancellationToken.None);
            }
        }
    }

    private async Task<ConnectorResult<ResourceResponse>> SendAsync(ClaimedMessage message)
    {
        try
        {
            var activity = JsonSerializer.Deserialize(message.ActivityJson, TeamsJsonContext.Default.Activity)
                ?? throw new JsonException("The activity is null.");
            return message.UpdateActivityId is { } update
                ? await _connector.UpdateAsync(message.ServiceUrl, message.ConversationId, update, activity, CancellationToken.None)
                : await _connector.SendAsync(message.ServiceUrl, message.ConversationId, activity, CancellationToken.None);
        }
        catch (JsonException e)
        {
            return new ConnectorResult<ResourceResponse> { Status = ConnectorStatus.Failed, ErrorMessage = "Stored activity is not valid JSON: " + e.Message };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new ConnectorResult<ResourceResponse> { Status = ConnectorStatus.Transient, ErrorMessage = e.Message };
        }
    }

    private async Task RecordAsync(ClaimedMessage message, ConnectorResult<ResourceResponse> result)
    {
        var now = _time.GetUtcNow();
        var error = result.IsSuccess ? null : result.ToString();
        var code = result.StopCode ?? result.ErrorCode;
        switch (result.Status)
        {
            case ConnectorStatus.Success:
                var activityId = result.Value?.Id ?? message.UpdateActivityId;
                await _store.MarkSentAsync(message.Id, activityId, now.UtcDateTime, CancellationToken.None);
                await NotifyAsync(message, OutboxState.Sent, activityId, null);
                break;
            case ConnectorStatus.Throttled:
                var until = now + (result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? retryAfter : _options.ThrottleDelay);
                _limiter.Pause(until);
                Log.Throttled(_logger, message.ConversationId, until);
                await _store.RescheduleAsync(message.Id, Owner, until.UtcDateTime, error, refundAttempt: true, now.UtcDateTime, CancellationToken.None, code);
                break;
            case not ConnectorStatus.Success when result.StopsSending:
                await FinishAsync(message, OutboxState.Undeliverable, error, code, now);
                foreach (var stopped in await _store.StopConversationAsync(message.ConversationId, error, code, now.UtcDateTime, CancellationToken.None))
                {
                    Log.Finished(_logger, stopped.Id, stopped.DedupeKey, OutboxState.Undeliverable, error);
                    await NotifyAsync(stopped, OutboxState.Undeliverable, null, error);
                }

                break;
            case ConnectorStatus.Transient when result.MayHaveArrived && message.UpdateActivityId is null:
                // Teams may have stored it: posting again could show the owner two cards. Left in doubt instead.
                await FinishAsync(message, OutboxState.InDoubt, error, code, now);
                break;
            case ConnectorStatus.Transient when now < ExpiryOf(message):
                var wait = Backoff(message.Attempts);
                var due = Min(now + (result.RetryAfter is { } asked && asked > wait ? asked : wait), ExpiryOf(message));
                await _store.RescheduleAsync(message.Id, Owner, due.UtcDateTime, error, refundAttempt: false, now.UtcDateTime, CancellationToken.None, code);
                break;
            case ConnectorStatus.Transient:
                await FinishAsync(message, OutboxState.Failed, $"gave up at {ExpiryOf(message):u} after {message.Attempts} attempts: {error}", code, now);
                break;
            case ConnectorStatus.RecipientGone:
                await FinishAsync(message, OutboxState.Undeliverable, error, code, now);
                break;
            default:
                await FinishAsync(message, OutboxState.Failed, error, code, now);
                break;
        }
    }

    /// <summary>Until when a message is worth retrying: its own expiry, else <see cref="DeliveryOptions.GiveUpAfter"/> after it was queued.</summary>
    private DateTimeOffset ExpiryOf(ClaimedMessage message) =>
        new(DateTime.SpecifyKind(message.ExpiresAt ?? message.CreatedAt + _options.GiveUpAfter, DateTimeKind.Utc));

    private async Task FinishAsync(ClaimedMessage message, OutboxState state, string? error, string? errorCode, DateTimeOffset now)
    {
        await _store.FinishAsync(message.Id, Owner, state, error, errorCode, now.UtcDateTime, CancellationToken.None);
        Log.Finished(_logger, message.Id, message.DedupeKey, state, error);
        await NotifyAsync(message, state, null, error);
    }

    private async Task NotifyAsync(ClaimedMessage message, OutboxState state, string? activityId, string? error)
    {
        var report = new DeliveryReport(message.Id, message.DedupeKey, message.Kind, message.ConversationId, state, activityId, error);
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnDeliveryFinishedAsync(report, CancellationToken.None);
            }
            catch (Exception e)
            {
                Log.ObserverFailed(_logger, message.Id, e);
            }
        }
    }

    /// <summary>BackoffBase × 2^(attempt−1), capped at BackoffMax, ±20 % jitter.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 20);
        var delay = Math.Min(_options.BackoffBase.TotalMilliseconds * Math.Pow(2, exponent), _options.BackoffMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "The outbox sender loop failed ({Failures} in a row); trying again in {Delay}")]
        public static partial void LoopFailed(ILogger logger, int failures, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Storing the result of outbox message {Id} failed ({Failures} in a row); trying again in {Delay}")]
        public static partial void StoreFailed(ILogger logger, long id, int failures, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Delivering outbox message {Id} failed")]
        public static partial void DeliveryFailed(ILogger logger, long id, Exception exception);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Teams throttled a send to {ConversationId}; all sends pause until {Until}")]
        public static partial void Throttled(ILogger logger, string conversationId, DateTimeOffset until);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Outbox message {Id} ({DedupeKey}) ended {State}: {Error}")]
        public static partial void Finished(ILogger logger, long id, string dedupeKey, OutboxState state, string? error);

        [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Outbox message {Id} was taken over by another sender before it went out; not sending it here")]
        public static partial void LeaseLost(ILogger logger, long id);

        [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Outbox housekeeping failed ({Failures} in a row); trying again next period")]
        public static partial void HousekeepingFailed(ILogger logger, int failures, Exception exception);

        [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "{Alive} outbox senders alive: this one now sends {Share}/s")]
        public static partial void RateShare(ILogger logger, int alive, int share);

        [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "An outbox gate failed; nothing of this batch is withdrawn")]
        public static partial void GateFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "A delivery observer failed for outbox message {Id}")]
        public static partial void ObserverFailed(ILogger logger, long id, Exception exception);
    }
}
