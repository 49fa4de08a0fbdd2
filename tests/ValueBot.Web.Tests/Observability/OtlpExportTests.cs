using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using ValueBot.Teams.Hosting;
using ValueBot.Testing;
using ValueBot.Web.Observability;
using ValueBot.Web.Tests.Admin;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Observability;

/// <summary>
/// The running host exports traces, metrics and logs over OTLP/HTTP (protobuf) to the configured endpoint: a small
/// loopback receiver on Kestrel stands in for an OpenTelemetry Collector. Run alone: OpenTelemetry listens to meters
/// and sources by name across the whole process, so other test hosts' "ValueBot" meters would mix into its exports.
/// </summary>
[Collection(OtlpCollection.Name)]
public sealed class OtlpExportTests
{
    private const string ServiceName = "valuebot-otlp-test";

    [Fact]
    public async Task TracesMetricsAndLogsReachTheOtlpEndpointOverHttpProtobuf()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            [ObservabilityExtensions.EndpointKey] = receiver.BaseUrl,
            [ObservabilityExtensions.ProtocolKey] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = ServiceName,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["Logging:LogLevel:Default"] = "Debug",
        });
        var useCase = AdminClient.ValidUseCase("Exported triage");
        var created = await AdminClient.SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", AdminClient.Serialize(useCase));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var checkin = Message(Ada, "checkin");
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(checkin)).StatusCode);
        Assert.Contains("Weekly check-in: Exported triage", Assert.Single(host.Connector.Requests, r => r.Method == "POST").Body, StringComparison.Ordinal);

        // While the host runs: the turn's span, ValueBot's check-in counter, and the turn's log with its scope.
        var trace = await receiver.WaitForAsync("traces", BotTelemetry.TurnSpanName, checkin.Id!);
        var metrics = await receiver.WaitForAsync("metrics", ValueBotTelemetry.CheckInsSent);
        var log = await receiver.WaitForAsync("logs", checkin.Id!, "ActivityId");
        foreach (var export in new[] { trace, metrics, log })
        {
            Assert.Equal("application/x-protobuf", export.ContentType);
            Assert.True(export.Contains(ServiceName), $"{export.Signal} export does not name the service");
        }
    }

    [Fact]
    public async Task AnUnknownProtocolStopsTheStartWithAClearMessage()
    {
        await using var database = TestDatabase.CreateSqlite();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            [ObservabilityExtensions.EndpointKey] = "http://127.0.0.1:4318",
            [ObservabilityExtensions.ProtocolKey] = "http/json",
        }));
        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL must be 'http/protobuf' or 'grpc'", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>One OTLP export request as received.</summary>
    private sealed record Export(string Signal, string? ContentType, byte[] Body)
    {
        // Protobuf carries strings as raw UTF-8, so names and ids can be found without decoding the message.
        public bool Contains(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    /// <summary>Accepts POST /v1/traces, /v1/metrics and /v1/logs (application/x-protobuf) and keeps the bodies.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<Export> _exports;
        private readonly SemaphoreSlim _arrived;

        private OtlpReceiver(WebApplication app, string baseUrl, ConcurrentQueue<Export> exports, SemaphoreSlim arrived)
        {
            _app = app;
            BaseUrl = baseUrl;
            _exports = exports;
            _arrived = arrived;
        }

        public string BaseUrl { get; }

        public static async Task<OtlpReceiver> StartAsync()
        {
            var exports = new ConcurrentQueue<Export>();
            var arrived = new SemaphoreSlim(0);
            var app = LoopbackApp.CreateBuilder().Build();
            app.MapPost("/v1/{signal}", async (string signal, HttpContext http) =>
            {
                if (signal is not ("traces" or "metrics" or "logs"))
                {
                    return Results.NotFound();
                }

                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                exports.Enqueue(new Export(signal, http.Request.ContentType, body.ToArray()));
                arrived.Release();
                // An empty Export…ServiceResponse: full success.
                return Results.Bytes([], "application/x-protobuf");
            });
            var baseUrl = await LoopbackApp.StartAsync(app);
            return new OtlpReceiver(app, baseUrl, exports, arrived);
        }

        /// <summary>The first export of <paramref name="signal"/> containing every one of <paramref name="texts"/>.</summary>
        public async Task<Export> WaitForAsync(string signal, params string[] texts)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                var match = _exports.FirstOrDefault(e => e.Signal == signal && texts.All(e.Contains));
                if (match is not null)
                {
                    return match;
                }

                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero || !await _arrived.WaitAsync(remaining))
                {
                    var seen = string.Join(", ", _exports.GroupBy(e => e.Signal).Select(g => $"{g.Key}: {g.Count()}"));
                    throw new TimeoutException($"No {signal} export containing [{string.Join(", ", texts)}] arrived; received {seen}.");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OtlpCollection
{
    public const string Name = "OTLP export (alone)";
}
