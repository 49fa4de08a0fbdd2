using ValueBot.Web.Scheduling;

namespace ValueBot.Web.Evidence;

public static class EvidenceServiceCollectionExtensions
{
    /// <summary>Measured beside reported: the Graph reader of the Copilot usage report, the measurement and its daily run.</summary>
    public static IServiceCollection AddEvidence(this IServiceCollection services)
    {
        services.AddOptions<CopilotUsageOptions>().BindConfiguration(CopilotUsageOptions.SectionName)
            .Validate(o => o.Format is "json" or "csv", "CopilotUsage:Format must be json or csv.").ValidateOnStart();
        services.AddSingleton<ICopilotUsageReport, GraphCopilotUsageReport>();
        services.AddScoped<CopilotUsageMeasurement>();
        services.AddScoped<IPeriodicRun, CopilotUsageRun>();
        return services;
    }
}
