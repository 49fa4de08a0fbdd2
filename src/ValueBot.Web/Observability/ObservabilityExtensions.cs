using System.Globalization;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.Observability;

/// <summary>
/// ValueBot's counters (<see cref="ValueBotMetrics"/>) always; traces, metrics and logs over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured, nothing otherwise. The settings are the standard OpenTelemetry
/// environment variables, read through the app's configuration (so appsettings and tests can set them too):
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c>, the default, or <c>grpc</c>), <c>OTEL_SERVICE_NAME</c>,
/// and the export delays <c>OTEL_BSP_SCHEDULE_DELAY</c>, <c>OTEL_BLRP_SCHEDULE_DELAY</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>
/// (milliseconds). Providers are registered with OpenTelemetry.Extensions.Hosting either way (without an endpoint they
/// export nothing; tests add an in-memory exporter); incoming requests and outgoing HttpClient calls are instrumented by
/// OpenTelemetry.Instrumentation.AspNetCore and .Http.
/// </summary>
public static class ObservabilityExtensions
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ValueBotMetrics>();
        builder.Services.AddSingleton<IDeliveryObserver, DeliveryMetricsObserver>();
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var config = builder.Configuration;
        // The SDK's providers, started and flushed with the host: ASP.NET Core's and HttpClient's spans and metrics
        // through their instrumentation libraries, plus ValueBot's own and Npgsql's by name.
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName(config)))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource([.. ValueBotTelemetry.Sources]))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter([.. ValueBotTelemetry.Meters]));
        var endpoint = config[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }

        var otlp = OtlpSettings.Read(config, endpoint);
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(ServiceName(config)));
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter((exporter, processor) =>
            {
                otlp.Apply(exporter, "logs");
                processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds = otlp.LogDelayMs ?? processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds;
            });
        });
        telemetry
            .WithTracing(tracing => tracing.AddOtlpExporter(exporter =>
            {
                otlp.Apply(exporter, "traces");
                exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = otlp.SpanDelayMs ?? exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds;
            }))
            .WithMetrics(metrics => metrics.AddOtlpExporter((exporter, reader) =>
            {
                otlp.Apply(exporter, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = otlp.MetricIntervalMs ?? reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds;
            }));
        return builder;
    }

    private static string ServiceName(IConfiguration config) => config["OTEL_SERVICE_NAME"] ?? "valuebot";

    /// <summary>The OTLP settings, checked once at start-up so that a typo stops the app with a clear message.</summary>
    private sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, int? SpanDelayMs, int? LogDelayMs, int? MetricIntervalMs)
    {
        public static OtlpSettings Read(IConfiguration config, string endpoint)
        {
            if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"{EndpointKey} must be an absolute http or https address, not '{endpoint}'.");
            }

            var protocol = (config[ProtocolKey]?.Trim().ToLowerInvariant()) switch
            {
                null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                "grpc" => OtlpExportProtocol.Grpc,
                var other => throw new InvalidOperationException($"{ProtocolKey} must be 'http/protobuf' or 'grpc', not '{other}'."),
            };
            return new OtlpSettings(uri, protocol, Milliseconds(config, "OTEL_BSP_SCHEDULE_DELAY"), Milliseconds(config, "OTEL_BLRP_SCHEDULE_DELAY"), Milliseconds(config, "OTEL_METRIC_EXPORT_INTERVAL"));
        }

        /// <summary>
        /// Set in code, the exporter takes the endpoint as the full address; like the environment variable, the base
        /// address gets the signal's path (<c>/v1/traces</c>, …) appended for http/protobuf.
        /// </summary>
        public void Apply(OtlpExporterOptions exporter, string signal)
        {
            exporter.Protocol = Protocol;
            exporter.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/" + signal)
                : Endpoint;
        }

        private static int? Milliseconds(IConfiguration config, string key)
        {
            var text = config[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
                ? ms
                : throw new InvalidOperationException($"{key} must be a positive number of milliseconds, not '{text}'.");
        }
    }
}
