using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ValueBot.Web.Persistence;

/// <summary>Ready when the database answers and its schema is at the version this build expects.</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
            var version = await db.Database
                .SqlQueryRaw<int>("SELECT MAX(version) AS \"Value\" FROM schema_migrations")
                .SingleAsync(cancellationToken);
            return version == SchemaMigrator.LatestVersion
                ? HealthCheckResult.Healthy($"schema version {version}")
                : HealthCheckResult.Unhealthy($"schema version {version}, expected {SchemaMigrator.LatestVersion}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unavailable", e);
        }
    }
}
