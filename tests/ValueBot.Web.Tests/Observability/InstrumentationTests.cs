using System.Diagnostics;
using System.Net;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Observability;

/// <summary>
/// The OpenTelemetry providers the app registers, seen through the SDK's in-memory exporter: a Teams request gives
/// ASP.NET Core's server span (from OpenTelemetry.Instrumentation.AspNetCore), the reply to the Bot Connector an
/// HttpClient span under it (Instrumentation.Http), and both their duration metrics.
/// </summary>
[Collection(OtlpCollection.Name)]
public sealed class InstrumentationTests
{
    [Fact]
    public async Task ATeamsRequestProducesTheServerSpanTheConnectorCallSpanAndTheirMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, configure: builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        });

        var help = Message(Ada, "help");
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(help)).StatusCode);
        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush());
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush());

        Activity server;
        Activity[] calls;
        lock (spans)
        {
            server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("http.route") == "/api/messages");
            calls = spans.Where(s => s.Kind == ActivityKind.Client && s.TraceId == server.TraceId).ToArray();
        }

        Assert.Equal("Microsoft.AspNetCore", server.Source.Name);
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        var reply = Assert.Single(calls, c => ((string?)c.GetTagItem("url.full"))?.StartsWith(host.ServiceUrl, StringComparison.Ordinal) == true);
        Assert.Equal("System.Net.Http", reply.Source.Name);
        Assert.Equal("POST", reply.GetTagItem("http.request.method"));

        lock (metrics)
        {
            Assert.Contains(metrics, m => m.Name == "http.server.request.duration");
            Assert.Contains(metrics, m => m.Name == "http.client.request.duration");
        }
    }
}
