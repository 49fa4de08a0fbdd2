using System.Net;
using System.Net.Http.Headers;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.Tab;

/// <summary>
/// The digest tests' portfolio (<see cref="DigestWorld"/>: Mia manages Grace and Bob, Ada is an admin) plus Eve's
/// "Meeting notes", sponsored by Lee — a leader. This week Eve's check-in was refused by Teams (403) and she has since
/// installed ValueBot again; Bob's "Contract review" card is in doubt. Zed is known to nobody.
/// </summary>
internal static class TabWorld
{
    public const string Host = "valuebot.example.com";
    public static readonly string Audience = $"api://{Host}/{ValueBotTestHost.AppId}";

    public static readonly Guid MeetingNotes = Guid.Parse("0000000a-0000-4000-8000-000000000004");

    public static User Lee { get; } = new("29:lee", "aad-lee", "Lee Leader", "a:personal-lee");

    public static User Zed { get; } = new("29:zed", "aad-zed", "Zed Nobody", "a:personal-zed");

    public static readonly string[] AllUseCases = ["Invoice triage", "Claims intake", "Contract review", "Meeting notes"];

    public static Dictionary<string, string?> Settings(bool localMode = false) => new()
    {
        ["Admin:TeamsAdmins"] = Ada.AadObjectId,
        ["Tab:Host"] = Host,
        ["Tab:FreshnessInterval"] = "00:00:00",
        ["Bot:LocalMode"] = localMode ? "true" : "false",
    };

    public static Task<ValueBotTestHost> StartAsync(TestDatabase database, bool localMode = false) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, Settings(localMode), new DigestWorld.FixedTime(DigestWorld.Now));

    public static async Task SeedAsync(ValueBotTestHost host)
    {
        await DigestWorld.SeedAsync(host);
        var week = DigestWorld.Week;
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            await registry.CreateAsync(new UseCase
            {
                Id = MeetingNotes,
                Name = "Meeting notes",
                ValueModel = ValueModel.WorkforceEmpowerment,
                Stage = Stage.Pilot,
                Owner = new PersonRef(DigestWorld.Eve.AadObjectId, DigestWorld.Eve.Name),
                Sponsor = new PersonRef(Lee.AadObjectId, Lee.Name),
                TargetUsers = 100,
                Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
                PlannedRunCostPerMonth = new Money(1300m, "EUR"),
            }, "test", CancellationToken.None);
            await sp.GetRequiredService<KnownPeople>().RememberAsync(new Person { AadObjectId = Lee.AadObjectId, DisplayName = Lee.Name }, CancellationToken.None);
            await sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(MeetingNotes, week.Previous(), DigestWorld.Answer(90), DigestWorld.Eve.AadObjectId, CancellationToken.None);

            var db = sp.GetRequiredService<ValueBotDbContext>();
            var now = DigestWorld.Now.UtcDateTime;
            db.Add(new CheckIn
            {
                UseCaseId = MeetingNotes, Week = week, Status = CheckInStatus.Undeliverable, UndeliverableReason = "blocked or gone: 403 Forbidden (the user blocked the bot)",
                DeadlineAt = now.AddHours(4), CreatedAt = now, UpdatedAt = now,
            });
            db.Add(new CheckIn { UseCaseId = DigestWorld.Contracts, Week = week, Status = CheckInStatus.Sent, SentAt = now.AddHours(-50), InDoubtAt = now.AddHours(-50), CreatedAt = now, UpdatedAt = now });
            db.Add(new OutboxMessage
            {
                DedupeKey = CheckInCycle.CheckInKey(DigestWorld.Contracts, week), Kind = CheckInCycle.CheckInKind, ServiceUrl = host.ServiceUrl,
                ConversationId = "a:personal-bob", ActivityJson = "{}", State = OutboxState.InDoubt,
                LastError = "The sender stopped after handing the message to the connector; it may or may not have arrived.",
                CreatedAt = now, UpdatedAt = now, NextAttemptAt = now,
            });
            await db.SaveChangesAsync();
            return 0;
        });
        await DigestWorld.SendAsync(host, PersonalInstall(DigestWorld.Eve));
    }

    /// <summary>A Teams SSO token for <paramref name="user"/>, as Entra issues it for the tab's resource (valid by the host's clock and the real one).</summary>
    public static string SsoToken(ValueBotTestHost host, User user, string? audience = null, string? tenant = null, DateTimeOffset? expires = null) =>
        host.Issuer.CreateToken(new FakeTokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{tenant ?? ValueBotTestHost.TenantId}/v2.0",
            Audience = audience ?? Audience,
            NotBefore = DigestWorld.Now.AddDays(-1),
            Expires = expires ?? DateTimeOffset.UtcNow.AddDays(1),
            Claims = new Dictionary<string, object>
            {
                ["oid"] = user.AadObjectId, ["name"] = user.Name, ["tid"] = tenant ?? ValueBotTestHost.TenantId, ["ver"] = "2.0", ["scp"] = "access_as_user",
            },
        });

    /// <summary>A browser-like client of the host: keeps cookies, does not follow redirects.</summary>
    public static HttpClient Client(ValueBotTestHost host) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };

    /// <summary>Signs <paramref name="user"/> in as the tab's script does: the SSO token to <c>/tab/session</c>.</summary>
    public static async Task<HttpClient> SignedInAsync(ValueBotTestHost host, User user)
    {
        var client = Client(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tab/session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SsoToken(host, user));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return client;
    }
}
