using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.Digests;

/// <summary>
/// A fixed portfolio for the digest tests, on Friday 13 March 2026 15:00 UTC (week 2026-W11):
/// Mia manages Grace and Bob; Ada is an admin. Grace's "Invoice triage" answered with a win for leadership;
/// Bob's "Claims intake" breaches (adoption 50 %); Bob's "Contract review" has not reported.
/// </summary>
internal static class DigestWorld
{
    public static readonly DateTimeOffset Now = new(2026, 3, 13, 15, 0, 0, TimeSpan.Zero);
    public static readonly IsoWeek Week = IsoWeek.Parse("2026-W11");

    public static User Mia { get; } = new("29:mia", "aad-mia", "Mia Manager", "a:personal-mia");

    public static User Bob { get; } = new("29:bob", "aad-bob", "Bob Builder", "a:personal-bob");

    public static User Eve { get; } = new("29:eve", "aad-eve", "Eve Stranger", "a:personal-eve");

    public static readonly Guid Invoices = Guid.Parse("0000000a-0000-4000-8000-000000000001");
    public static readonly Guid Claims = Guid.Parse("0000000a-0000-4000-8000-000000000002");
    public static readonly Guid Contracts = Guid.Parse("0000000a-0000-4000-8000-000000000003");

    public const string WinStory = "Month-end close two days early";

    public static Task<ValueBotTestHost> StartAsync(TestDatabase database) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = Ada.AadObjectId }, new FixedTime(Now));

    /// <summary>Use cases, answers, managers and the personal chats of Mia, Grace and Bob.</summary>
    public static async Task SeedAsync(ValueBotTestHost host)
    {
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            await registry.CreateAsync(UseCase(Invoices, "Invoice triage", Grace), "test", CancellationToken.None);
            await registry.CreateAsync(UseCase(Claims, "Claims intake", Bob), "test", CancellationToken.None);
            await registry.CreateAsync(UseCase(Contracts, "Contract review", Bob), "test", CancellationToken.None);
            await sp.GetRequiredService<KnownPeople>().RememberAsync(new Person { AadObjectId = Grace.AadObjectId, DisplayName = Grace.Name, ManagerAadObjectId = Mia.AadObjectId }, CancellationToken.None);
            await sp.GetRequiredService<KnownPeople>().RememberAsync(new Person { AadObjectId = Bob.AadObjectId, DisplayName = Bob.Name, ManagerAadObjectId = Mia.AadObjectId }, CancellationToken.None);
            await sp.GetRequiredService<KnownPeople>().RememberAsync(new Person { AadObjectId = Mia.AadObjectId, DisplayName = Mia.Name }, CancellationToken.None);
            var checkIns = sp.GetRequiredService<CheckInStore>();
            await checkIns.RecordAnswerAsync(Invoices, Week.Previous(), Answer(70), Grace.AadObjectId, CancellationToken.None);
            await checkIns.RecordAnswerAsync(Invoices, Week, Answer(80) with { Win = WinStory, ShareWinWithLeadership = true }, Grace.AadObjectId, CancellationToken.None);
            await checkIns.RecordAnswerAsync(Claims, Week, Answer(50), Bob.AadObjectId, CancellationToken.None);
            await checkIns.RecordAnswerAsync(Contracts, Week.AddWeeks(-2), Answer(70), Bob.AadObjectId, CancellationToken.None);
            return 0;
        });
        foreach (var user in new[] { Mia, Grace, Bob })
        {
            await SendAsync(host, PersonalInstall(user));
        }

        // The welcome cards go through the outbox: wait until they are out, so that a test that resets the connector
        // after seeding does not see them arrive later among the answers it counts.
        foreach (var user in new[] { Mia, Grace, Bob })
        {
            await host.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Route.Count == 3 && r.Route[1] == user.ConversationId
                && r.Body.Contains("Welcome to ValueBot", StringComparison.Ordinal));
        }

        // A welcome that reached the connector may still be retried (a throttled first attempt is recorded too):
        // wait until the outbox has settled every one of them.
        for (var waited = 0; await UnsettledAsync(host) > 0; waited++)
        {
            if (waited == 200)
            {
                throw new TimeoutException("The seed's welcome cards did not settle in the outbox.");
            }

            await Task.Delay(50);
        }
    }

    private static Task<int> UnsettledAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
            .CountAsync(m => m.State == OutboxState.Pending || m.State == OutboxState.Sending));

    /// <summary>Week figures: T=200, m=6, h=60 → gross 1,200; rework 200×10 %×5/60×60 = 100, exceptions 80, run 300 → net 720.</summary>
    public static Answer Answer(int activeUsers) => new()
    {
        ActiveUsers = activeUsers,
        Tasks = 200,
        MinutesSavedPerTask = 6m,
        ReworkShare = 0.1m,
        MinutesPerCorrection = 5m,
        Exceptions = 4,
        RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(300m, "EUR") },
    };

    private static UseCase UseCase(Guid id, string name, User owner) => new()
    {
        Id = id,
        Name = name,
        ValueModel = ValueModel.ProcessReengineering,
        Stage = Stage.Production,
        Owner = new PersonRef(owner.AadObjectId, owner.Name),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };

    /// <summary>A message in the team's channel, as Teams sends it: a thread of the channel, the bot mentioned.</summary>
    public static Activity ChannelMessage(User user, string text)
    {
        var activity = Message(user, "<at>ValueBot</at> " + text);
        activity.Conversation = new ConversationAccount { Id = ChannelId + ";messageid=1700000000000", ConversationType = ConversationTypes.Channel, IsGroup = true, TenantId = ValueBotTestHost.TenantId };
        activity.ChannelData = new TeamsChannelData
        {
            Tenant = new TenantInfo { Id = ValueBotTestHost.TenantId },
            Team = new TeamInfo { Id = TeamId, Name = "AI Leadership" },
            Channel = new ChannelInfo { Id = ChannelId },
        };
        activity.Entities = [Entity.CreateMention(BotId, "ValueBot")];
        return activity;
    }

    public static Task<HttpResponseMessage> SendAsync(ValueBotTestHost host, Activity activity)
    {
        activity.ServiceUrl ??= host.ServiceUrl;
        return host.PostAsync(activity, host.Issuer.CreateBotFrameworkToken(
            ValueBotTestHost.AppId, activity.ServiceUrl, notBefore: Now.AddHours(-1), expires: Now.AddHours(1)));
    }

    public static async Task<(string Type, JsonNode Value)> InvokeAsync(ValueBotTestHost host, User user, string verb, Guid useCaseId, JsonObject? inputs = null)
    {
        var data = inputs?.DeepClone().AsObject() ?? [];
        data[DigestCardsKeys.UseCaseId] = useCaseId.ToString("D");
        data[DigestCardsKeys.Week] = Week.ToString();
        return await ReadInvokeResponseAsync(await SendAsync(host, CardAction(user, verb, data)));
    }

    private static class DigestCardsKeys
    {
        public const string UseCaseId = ValueBot.Web.Digests.DigestCards.UseCaseIdKey;
        public const string Week = ValueBot.Web.Digests.DigestCards.WeekKey;
    }

    /// <summary>
    /// The card as the Adaptive Card 1.5 schema can judge it: Teams' <c>msteams</c> root member removed and each
    /// <c>Chart.*</c> element (a Teams extension the schema does not know) replaced by its fallback — what a client
    /// without charts renders. Fails when a chart has no fallback.
    /// </summary>
    public static string WithChartFallbacks(string cardJson)
    {
        var root = JsonNode.Parse(cardJson)!.AsObject();
        root.Remove("msteams");
        return Substitute(root)!.ToJsonString();

        static JsonNode? Substitute(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj when obj["type"]?.GetValue<string>() is { } type && type.StartsWith("Chart.", StringComparison.Ordinal):
                    var fallback = obj["fallback"] ?? throw new Xunit.Sdk.XunitException($"{type} has no fallback");
                    return Substitute(fallback.DeepClone());
                case JsonObject obj:
                    foreach (var key in obj.Select(p => p.Key).ToList())
                    {
                        obj[key] = Substitute(obj[key]?.DeepClone());
                    }

                    return obj;
                case JsonArray array:
                    var copy = new JsonArray();
                    foreach (var item in array)
                    {
                        copy.Add(Substitute(item?.DeepClone()));
                    }

                    return copy;
                default:
                    return node;
            }
        }
    }

    /// <summary>Every string value in a JSON document (card texts, facts, data), one per line, unescaped.</summary>
    public static string Texts(string json)
    {
        var texts = new List<string>();
        Walk(JsonNode.Parse(json));
        return string.Join("\n", texts);

        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (_, value) in obj)
                    {
                        Walk(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    texts.Add(text);
                    break;
            }
        }
    }

    /// <summary>Every Chart.* element of a card, for the checks the schema cannot make.</summary>
    public static IReadOnlyList<JsonObject> Charts(string cardJson)
    {
        var charts = new List<JsonObject>();
        Walk(JsonNode.Parse(cardJson));
        return charts;

        void Walk(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["type"]?.GetValue<string>() is { } type && type.StartsWith("Chart.", StringComparison.Ordinal))
                {
                    charts.Add(obj);
                }

                foreach (var (_, value) in obj)
                {
                    Walk(value);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
        }
    }

    // Not FakeTimeProvider: the host's outbox sender and rate limiter wait on this clock's timers, which must fire in real time.
    public sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
