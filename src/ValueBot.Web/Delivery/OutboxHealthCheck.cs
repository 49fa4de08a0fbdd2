using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ValueBot.Web.Delivery;

/// <summary>
/// Not ready when work has been due for longer than <see cref="DeliveryOptions.StallThreshold"/> while this
/// instance's sender has made no progress for as long: a sender that stopped quietly shows on <c>/health/ready</c>.
/// </summary>
internal sealed class OutboxHealthCheck(OutboxSender sender, OutboxStore store, IOptions<DeliveryOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!sender.Enabled)
        {
            return HealthCheckResult.Healthy("no sender runs in this instance");
        }

        var now = time.GetUtcNow();
        OutboxBacklog backlog;
        try
        {
            backlog = await store.BacklogAsync(now.UtcDateTime, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the outbox cannot be read", e);
        }

        var threshold = options.Value.StallThreshold;
        var quiet = now - sender.LastProgressAt;
        if (backlog.OldestDueAt is { } due && now - new DateTimeOffset(due, TimeSpan.Zero) > threshold && quiet > threshold)
        {
            return HealthCheckResult.Unhealthy(
                $"{backlog.Unfinished} messages waiting, one due since {due:O}, and the sender has made no progress for {quiet.TotalSeconds:0} s");
        }

        return HealthCheckResult.Healthy($"{backlog.Unfinished} messages waiting");
    }
}
