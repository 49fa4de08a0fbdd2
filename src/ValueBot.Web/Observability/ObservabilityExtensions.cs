using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ValueBot.Web.Observability;

/// <summary>
/// Traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured; nothing otherwise.
/// The ASP.NET Core and HttpClient instrumentation packages are not available here, so ValueBot listens to the
/// ActivitySources and Meters .NET itself emits, by name.
/// </summary>
public static class ObservabilityExtensions
{
    private static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "ValueBot"];
    private static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "ValueBot"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "valuebot");
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeScopes = true;
            o.AddOtlpExporter();
        });
        builder.Services.AddSingleton(_ => new TelemetryProviders(
            Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources).AddOtlpExporter().Build(),
            Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters).AddOtlpExporter().Build()));
        builder.Services.AddHostedService<TelemetryStartup>();
        return builder;
    }

    /// <summary>Holds the providers for the app's lifetime and flushes them on shutdown.</summary>
    private sealed class TelemetryProviders(TracerProvider? tracer, MeterProvider? meter) : IDisposable
    {
        public void Dispose()
        {
            tracer?.Dispose();
            meter?.Dispose();
        }
    }

    private sealed class TelemetryStartup(TelemetryProviders providers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = providers;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
