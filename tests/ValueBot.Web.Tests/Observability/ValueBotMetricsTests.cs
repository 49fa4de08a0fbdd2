using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Observability;
using ValueBot.Web.Tests.Admin;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Observability;

/// <summary>ValueBot's own counters count what happened, once, with the right tags.</summary>
public sealed class ValueBotMetricsTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CountsCheckInsSentAnswersStoredAndDeliveriesByOutcome(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Delivery:PollInterval"] = "00:00:00.050",
        });
        using var measured = new Measurements(host.Services.GetRequiredService<IMeterFactory>());
        var created = await AdminClient.SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", AdminClient.Serialize(AdminClient.ValidUseCase()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var useCaseId = Guid.Parse((await AdminClient.JsonAsync(created))["id"]!.GetValue<string>());
        var week = await host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<UseCaseRegistry>().CurrentWeek.ToString()));

        // The owner asks for the card: one check-in sent on command.
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(Message(Ada, "checkin"))).StatusCode);
        Assert.Equal(1, measured.Sum(ValueBotTelemetry.CheckInsSent, ("trigger", "command")));

        // First answer stored; the same answer again (a double click) writes nothing; a changed one replaces it.
        await AnswerAsync(host, useCaseId, week, tasks: "200");
        await AnswerAsync(host, useCaseId, week, tasks: "200");
        await AnswerAsync(host, useCaseId, week, tasks: "210", revision: 1);
        // An old card's data (built before the first answer) is refused: nothing written, nothing counted.
        await AnswerAsync(host, useCaseId, week, tasks: "220");
        Assert.Equal(1, measured.Sum(ValueBotTelemetry.AnswersStored, ("outcome", "stored")));
        Assert.Equal(1, measured.Sum(ValueBotTelemetry.AnswersStored, ("outcome", "replaced")));
        Assert.Equal(2, measured.Sum(ValueBotTelemetry.AnswersStored));

        // A stranger's answer is refused and not counted.
        await AnswerAsync(host, useCaseId, week, tasks: "5", user: new User("29:eve", "aad-eve", "Eve", "a:personal-eve"));
        Assert.Equal(2, measured.Sum(ValueBotTelemetry.AnswersStored));

        // The outbox delivers a scheduled check-in and a card to someone who removed the bot.
        host.Connector.Enqueue(ScriptedResponse.Forbidden());
        await EnqueueAsync(host, "digest:1", "digest", "a:gone");
        await measured.WaitForAsync(() => measured.Sum(ValueBotTelemetry.Deliveries) == 1); // the 403 is taken by the digest
        // Next week's card: this week's was answered, and a card for an answered week is withdrawn, not sent.
        var nextWeek = ValueBot.Domain.Periods.IsoWeek.Parse(week).AddWeeks(1);
        await EnqueueAsync(host, $"checkin:{useCaseId:N}:{nextWeek}", ValueBotMetrics.CheckInKind, "a:personal-ada");
        await measured.WaitForAsync(() => measured.Sum(ValueBotTelemetry.Deliveries) == 2);
        Assert.Equal(1, measured.Sum(ValueBotTelemetry.Deliveries, ("kind", "checkin"), ("outcome", "sent")));
        Assert.Equal(1, measured.Sum(ValueBotTelemetry.Deliveries, ("kind", "digest"), ("outcome", "undeliverable")));
        Assert.Equal(1, measured.Sum(ValueBotTelemetry.CheckInsSent, ("trigger", "scheduled")));
        Assert.Equal(2, measured.Sum(ValueBotTelemetry.CheckInsSent));
    }

    private static async Task AnswerAsync(ValueBotTestHost host, Guid useCaseId, string week, string tasks, User? user = null, int revision = 0)
    {
        var inputs = CheckInInputs.Valid();
        inputs[AnswerFields.Tasks] = tasks;
        inputs[CheckInCard.RevisionKey] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = CheckInInputs.Data(useCaseId, week, inputs);
        var (type, _) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(user ?? Ada, CheckInCard.AnswerVerb, data)));
        Assert.Equal(user is null ? "application/vnd.microsoft.card.adaptive" : "application/vnd.microsoft.activity.message", type);
    }

    private static Task EnqueueAsync(ValueBotTestHost host, string key, string kind, string conversationId) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<Outbox>().EnqueueAsync(
            Outbox.Message(key, kind, host.ServiceUrl, conversationId, ValueBotTestHost.TenantId, Activity.CreateMessage("For " + key))));

    /// <summary>Listens to the "ValueBot" meter of one host only (its own <see cref="IMeterFactory"/>).</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _seen = new();

        public Measurements(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ValueBotTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    copy[tag.Key] = tag.Value;
                }

                _seen.Enqueue((instrument.Name, value, copy));
            });
            _listener.Start();
        }

        public long Sum(string instrument, params (string Key, string Value)[] tags) =>
            _seen.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

        public async Task WaitForAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The expected measurements did not arrive.");
                }

                await Task.Delay(20);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
