using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// Ready when this instance's Hangfire server is registered in the storage and its heartbeat is recent. The heartbeat's
/// age is measured on the machine's clock (<see cref="TimeProvider.System"/>), the one Hangfire stamps it with, not on
/// the app's <see cref="TimeProvider"/>, which tests move.
/// </summary>
internal sealed class HangfireServerHealthCheck(JobStorage storage, HangfireServerName server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var mine = storage.GetMonitoringApi().Servers().FirstOrDefault(s => s.Name.StartsWith(server.Value, StringComparison.Ordinal));
            if (mine?.Heartbeat is not { } beat)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"Hangfire server {server.Value} has not announced itself"));
            }

            var age = TimeProvider.System.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(beat, DateTimeKind.Utc);
            return Task.FromResult(age <= ScheduleServiceCollectionExtensions.HeartbeatInterval * 3
                ? HealthCheckResult.Healthy($"Hangfire server heartbeat {age.TotalSeconds:0}s ago")
                : HealthCheckResult.Unhealthy($"Hangfire server heartbeat {age.TotalSeconds:0}s ago"));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage unreachable", e));
        }
    }
}

/// <summary>This instance's Hangfire server name (unique per process start).</summary>
internal sealed record HangfireServerName(string Value);
