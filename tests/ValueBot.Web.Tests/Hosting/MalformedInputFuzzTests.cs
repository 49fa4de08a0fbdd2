using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Tests.Admin;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>
/// Hundreds of generated malformed activities and admin requests (fixed seed, so a failure repeats), each sent to the
/// real host on Kestrel with a real signed token, so it gets past authentication: none may get a 5xx, none may leak a
/// stack trace or a header, and the database must be exactly as it was before.
/// </summary>
public sealed partial class MalformedInputFuzzTests
{
    private const int Seed = 20_261_203;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task GeneratedMalformedRequestsGetA4xxAndChangeNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var useCase = OwnedByAda();
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));
        await host.SendFromTeamsAsync(PersonalInstall(Ada));
        // The welcome may go out through the outbox in the background: start from a database at rest.
        for (var i = 0; i < 100 && !host.Connector.Requests.Any(r => r.Method == "POST"); i++)
        {
            await Task.Delay(100);
        }

        var before = await DatabaseSnapshot.TakeAsync(host);
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(250);
            var again = await DatabaseSnapshot.TakeAsync(host);
            if (again.DifferencesFrom(before).Count == 0)
            {
                break;
            }

            before = again;
        }

        var requests = new MalformedRequests(new Random(Seed), host, useCase.Id);
        var cases = requests.Activities().Concat(requests.AdminRequests()).ToList();
        var failures = new List<string>();
        foreach (var fuzz in cases)
        {
            using var response = await host.Http.SendAsync(fuzz.Build());
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500 && !(status == 501 && fuzz.NotImplemented))
            {
                failures.Add($"{fuzz.Name}: {status} {Shorten(body)}");
            }
            else if (fuzz.MustBeRefused && status < 400)
            {
                failures.Add($"{fuzz.Name}: accepted with {status}");
            }
            else if (!fuzz.MayFailAuthentication && status is 401 or 403)
            {
                failures.Add($"{fuzz.Name}: did not get past authentication ({status})");
            }

            if (body.Contains("Bearer", StringComparison.OrdinalIgnoreCase) || Internals().IsMatch(body))
            {
                failures.Add($"{fuzz.Name}: the body shows internals: {Shorten(body)}");
            }
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");
        Assert.True(cases.Count(c => c.Name.StartsWith("admin", StringComparison.Ordinal)) >= 100);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} failed:\n" + string.Join("\n", failures));
        var changed = (await DatabaseSnapshot.TakeAsync(host)).DifferencesFrom(before);
        Assert.True(changed.Count == 0, "changed: " + string.Join("; ", changed));
    }

    /// <summary>A stack frame ("at Namespace.Type.Method(") or a qualified exception type name.</summary>
    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]*\.[\w<>]+\(|\b[A-Za-z]+(\.[A-Za-z]+)+Exception\b")]
    private static partial Regex Internals();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static UseCase OwnedByAda() => new()
    {
        Id = Guid.NewGuid(),
        Name = "Invoice triage",
        ValueModel = ValueModel.ProcessReengineering,
        Owner = new PersonRef(Ada.AadObjectId, Ada.Name),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };
}

/// <summary>One generated request; <see cref="MustBeRefused"/> when nothing about it may be accepted.</summary>
/// <see cref="NotImplemented"/> marks an invoke nobody handles, which Teams' protocol answers with 501 (docs/protocol.md §1.6).
internal sealed record FuzzCase(string Name, bool MustBeRefused, bool MayFailAuthentication, Func<HttpRequestMessage> Build)
{
    public bool NotImplemented { get; init; }
}

/// <summary>The generator: templates of what Teams and an admin really send, broken in every way listed in issue 10.</summary>
internal sealed class MalformedRequests(Random random, ValueBotTestHost host, Guid useCaseId)
{
    // Utf8JsonWriter refuses to write these, so they are put in as markers and replaced in the JSON text.
    private const string LoneHigh = "@@lone-high@@";
    private const string LoneLow = "@@lone-low@@";
    private const string HugeNumber = "\"@@huge-number@@\"";

    private static readonly string[] UntrustedServiceUrls =
    [
        "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "https://evil.example/teams/",
        "https://smba.trafficmanager.net.evil.example/teams/", "not a url", "javascript:alert(1)",
        "https://user:secret@smba.trafficmanager.net/teams/", "http://smba.trafficmanager.net/teams/", "gopher://127.0.0.1:25/",
    ];

    public IEnumerable<FuzzCase> Activities()
    {
        var week = IsoWeek.FromDate(DateOnly.FromDateTime(host.Time.GetUtcNow().UtcDateTime)).ToString();
        var templates = new (string Name, Func<JsonObject> Create)[]
        {
            ("message", () => ToNode(Message(Ada, "help"))),
            ("install", () => ToNode(PersonalInstall(Grace))),
            ("installationUpdate", () => ToNode(PersonalInstallationUpdate(Grace, InstallationActions.Add))),
            ("answer", () => ToNode(CardAction(Ada, CheckInCard.AnswerVerb, GarbageAnswer(week)))),
        };

        foreach (var (template, create) in templates)
        {
            foreach (var (name, mutate, mayFailAuthentication) in MustRefuse())
            {
                yield return Activity($"{template}: {name}", create, mutate, mustBeRefused: true, mayFailAuthentication);
            }

            // A few broken at once, chosen by the seed.
            var all = MustRefuse().ToList();
            for (var i = 0; i < 8; i++)
            {
                var picked = Enumerable.Range(0, 3).Select(_ => all[random.Next(all.Count)]).ToList();
                yield return Activity($"{template}: {string.Join(" + ", picked.Select(p => p.Name))}", create,
                    node => picked.ForEach(p => p.Mutate(node)), mustBeRefused: true, mayFailAuthentication: picked.Any(p => p.MayFailAuthentication));
            }
        }

        // Malformed but harmless when shaped right: must not fail or store, may be answered.
        foreach (var (template, create) in templates.Where(t => t.Name is "message" or "answer"))
        {
            foreach (var (name, mutate) in MayBeAnswered())
            {
                yield return Activity($"{template}: {name}", create, mutate, mustBeRefused: false, mayFailAuthentication: false)
                    with { NotImplemented = name.StartsWith("unhandled", StringComparison.Ordinal) };
            }
        }

        for (var i = 0; i < 30; i++)
        {
            var data = GarbageAnswer(week);
            yield return Activity($"answer: garbage card data #{i}", () => ToNode(CardAction(Ada, CheckInCard.AnswerVerb, data.DeepClone().AsObject())),
                _ => { }, mustBeRefused: false, mayFailAuthentication: false);
        }

        foreach (var verb in new[] { CheckInCard.SkipVerb, CheckInCard.HandToDelegateVerb, "admin.useCase.create", "review.decide", "digest.shareWin", "digest.details", "digest.confirmAdoption", "digest.disputeAdoption" })
        {
            for (var i = 0; i < 3; i++)
            {
                var data = new JsonObject { [CheckInCard.UseCaseIdKey] = i == 0 ? useCaseId.ToString("D") : Garbage(), [CheckInCard.WeekKey] = Garbage() };
                for (var k = 0; k < 4; k++)
                {
                    data["field" + k] = Garbage();
                }

                yield return Activity($"{verb}: garbage card data #{i}", () => ToNode(CardAction(Ada, verb, data.DeepClone().AsObject())),
                    _ => { }, mustBeRefused: false, mayFailAuthentication: false);
            }
        }

        foreach (var (name, body) in BrokenJson())
        {
            yield return new FuzzCase($"activity body: {name}", MustBeRefused: true, MayFailAuthentication: false,
                () => Post("/api/messages", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                    BotToken(host.ServiceUrl)));
        }
    }

    public IEnumerable<FuzzCase> AdminRequests()
    {
        var existing = useCaseId.ToString("D");
        foreach (var (name, body) in BrokenJson())
        {
            yield return Admin($"admin create: {name}", HttpMethod.Post, "/api/admin/use-cases", new ByteArrayContent(body), "application/json");
            yield return Admin($"admin update: {name}", HttpMethod.Put, $"/api/admin/use-cases/{existing}", new ByteArrayContent(body), "application/json");
            yield return Admin($"admin decision: {name}", HttpMethod.Post, $"/api/admin/use-cases/{existing}/decisions", new ByteArrayContent(body), "application/json");
        }

        // Objects get scalars and lists; scalars get objects, lists and the other kind of scalar.
        var notAnObject = new JsonNode?[] { new JsonArray(), "x", 5 };
        var notAScalar = new JsonNode?[] { new JsonArray(), new JsonObject(), true };
        foreach (var field in new[]
        {
            "id", "name", "description", "valueModel", "stage", "owner", "owner.aadObjectId", "targetUsers", "currency", "baseline",
            "baseline.minutesPerTask", "plannedRunCostPerMonth", "stopLoss", "stopLoss.minAdoption", "rules", "checkInSchedule",
            "checkInSchedule.localTime", "launchDate", "rowVersion",
        })
        {
            var isObject = field is "owner" or "baseline" or "stopLoss" or "rules" or "checkInSchedule";
            foreach (var value in isObject ? notAnObject : notAScalar)
            {
                var body = AdminClient.ValidUseCase();
                Set(body, field, value?.DeepClone());
                yield return AdminJson($"admin create: {field} = {value?.ToJsonString() ?? "null"}", HttpMethod.Post, "/api/admin/use-cases", body);
            }
        }

        var tooLong = new (string Field, JsonNode? Value)[]
        {
            ("name", new string('n', 201)), ("description", new string('d', 4001)), ("orgUnit", new string('o', 201)),
            ("workflow", new string('w', 1001)), ("successCriteria", new string('s', 4001)), ("owner.displayName", new string('a', 201)),
            ("owner.aadObjectId", "not-a-guid"), ("owner.aadObjectId", new string('1', 300)), ("owner.aadObjectId", "{" + Guid.NewGuid() + "}x"),
            ("delegate", new JsonObject { ["aadObjectId"] = "x", ["displayName"] = "Someone" }),
            ("sponsor", new JsonObject { ["aadObjectId"] = Guid.NewGuid().ToString(), ["displayName"] = new string('s', 100_000) }),
            ("owner", new JsonObject { ["upn"] = new string('u', 10_000) + "@contoso.example" }),
            ("rules", new JsonObject { [new string('r', 5_000)] = 1 }), ("currency", "EURO"), ("targetUsers", 0),
            ("name", "Invoice\u0000triage"), ("description", "a\u0000b"), ("owner.displayName", "Ada\u0000"),
            ("name", "Invoice " + LoneHigh), ("owner.displayName", LoneLow + "Ada"),
            ("plannedRunCostPerMonth", "@@huge-number@@"), ("targetUsers", 1e12), ("baseline.hourlyCost", -1),
            ("launchDate", "05/01/2026"), ("checkInSchedule.localTime", "25:61"), ("stopLoss.minAdoption", 7),
        };
        foreach (var (field, value) in tooLong)
        {
            var body = AdminClient.ValidUseCase();
            Set(body, field, value?.DeepClone());
            var label = value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 40 ? $"{s.Length} characters" : value?.ToJsonString() ?? "null";
            yield return AdminJson($"admin create: {field} = {label}", HttpMethod.Post, "/api/admin/use-cases", body);
            yield return AdminJson($"admin update: {field} = {label}", HttpMethod.Put, $"/api/admin/use-cases/{existing}", body);
        }

        var valid = AdminClient.Serialize(AdminClient.ValidUseCase());
        foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "text/csv", "application/jsonx" })
        {
            yield return Admin($"admin create: as {contentType}", HttpMethod.Post, "/api/admin/use-cases", new StringContent(valid), contentType);
            yield return Admin($"admin decision: as {contentType}", HttpMethod.Post, $"/api/admin/use-cases/{existing}/decisions",
                new StringContent("""{"decision":"scale","reason":"x"}"""), contentType);
        }

        yield return Admin("admin create: no content type", HttpMethod.Post, "/api/admin/use-cases", new StringContent(valid) { Headers = { ContentType = null } }, null);
        var multipart = new MultipartFormDataContent { { new StringContent(valid, Encoding.UTF8, "application/json"), "body" } };
        yield return new FuzzCase("admin create: multipart", true, false, () => Post("/api/admin/use-cases", multipart, AdminClient.Token(host)));

        foreach (var badId in new[] { "not-a-guid", "0", "%00", "..%2F..%2Fetc", new string('9', 5000), existing + "-x", "%F0%9F%98%80" })
        {
            yield return AdminJson($"admin update: id {Label(badId)}", HttpMethod.Put, $"/api/admin/use-cases/{badId}", AdminClient.ValidUseCase());
            yield return Admin($"admin retire: id {Label(badId)}", HttpMethod.Delete, $"/api/admin/use-cases/{badId}", null, null);
            yield return Admin($"admin get: id {Label(badId)}", HttpMethod.Get, $"/api/admin/use-cases/{badId}", null, null);
            yield return Admin($"admin evaluation: id {Label(badId)}", HttpMethod.Get, $"/api/admin/use-cases/{badId}/evaluation", null, null);
            yield return Admin($"admin audit: id {Label(badId)}", HttpMethod.Get, $"/api/admin/use-cases/{badId}/audit", null, null);
            yield return AdminJson($"admin decision: id {Label(badId)}", HttpMethod.Post, $"/api/admin/use-cases/{badId}/decisions",
                new JsonObject { ["decision"] = "scale", ["reason"] = "x" });
        }

        var mismatched = AdminClient.ValidUseCase();
        mismatched["id"] = Guid.NewGuid().ToString();
        yield return AdminJson("admin update: body id differs from path", HttpMethod.Put, $"/api/admin/use-cases/{existing}", mismatched);
        yield return Admin("admin update: unknown use case", HttpMethod.Put, $"/api/admin/use-cases/{Guid.NewGuid()}",
            new StringContent(valid), "application/json");

        foreach (var (name, decision) in new (string, JsonNode)[]
        {
            ("unknown outcome", new JsonObject { ["decision"] = "maybe", ["reason"] = "x" }),
            ("no reason", new JsonObject { ["decision"] = "scale" }),
            ("blank reason", new JsonObject { ["decision"] = "scale", ["reason"] = "   " }),
            ("reason too long", new JsonObject { ["decision"] = "scale", ["reason"] = new string('r', 4001) }),
            ("reason with U+0000", new JsonObject { ["decision"] = "scale", ["reason"] = "a\u0000b" }),
            ("reason with a lone surrogate", new JsonObject { ["decision"] = "scale", ["reason"] = LoneHigh }),
            ("decision wrong type", new JsonObject { ["decision"] = 3, ["reason"] = "x" }),
            ("reason wrong type", new JsonObject { ["decision"] = "scale", ["reason"] = new JsonArray() }),
        })
        {
            yield return AdminJson($"admin decision: {name}", HttpMethod.Post, $"/api/admin/use-cases/{existing}/decisions", decision);
        }

        foreach (var query in new[] { "page=-1", "page=abc", "pageSize=0", "pageSize=100000", "includeRetired=maybe", "page=99999999999999" })
        {
            yield return Admin($"admin list: {query}", HttpMethod.Get, $"/api/admin/use-cases/?{query}", null, null);
        }

        foreach (var weekText in new[] { "2026-W99", "abc", "2026-W00", "-1", LoneHigh })
        {
            yield return Admin($"admin evaluation: week {weekText}", HttpMethod.Get,
                $"/api/admin/use-cases/{existing}/evaluation?week={Uri.EscapeDataString(weekText)}", null, null);
        }

        foreach (var (name, csv) in BrokenCsv())
        {
            yield return Admin($"admin import: {name}", HttpMethod.Post, "/api/admin/use-cases/import", new StringContent(csv), "text/csv");
        }

        var twoFiles = new MultipartFormDataContent
        {
            { new StringContent("name\nx"), "file", "a.csv" },
            { new StringContent("name\ny"), "file", "b.csv" },
        };
        yield return new FuzzCase("admin import: two files", true, false, () => Post("/api/admin/use-cases/import", twoFiles, AdminClient.Token(host)));
        var noFile = new MultipartFormDataContent { { new StringContent("x"), "field" } };
        yield return new FuzzCase("admin import: no file", true, false, () => Post("/api/admin/use-cases/import", noFile, AdminClient.Token(host)));
    }

    private IEnumerable<(string Name, Action<JsonObject> Mutate, bool MayFailAuthentication)> MustRefuse()
    {
        // Without a serviceUrl the token's signed serviceurl claim matches nothing, so authentication may refuse first.
        yield return ("no conversation", n => n.Remove("conversation"), false);
        yield return ("conversation null", n => n["conversation"] = null, false);
        yield return ("conversation {}", n => n["conversation"] = new JsonObject(), false);
        yield return ("conversation.id empty", n => Set(n, "conversation.id", ""), false);
        yield return ("conversation.id blank", n => Set(n, "conversation.id", "   "), false);
        yield return ("conversation.id null", n => Set(n, "conversation.id", null), false);
        yield return ("conversation.id missing", n => n["conversation"]!.AsObject().Remove("id"), false);
        yield return ("no serviceUrl", n => n.Remove("serviceUrl"), true);
        yield return ("serviceUrl empty", n => n["serviceUrl"] = "", true);
        yield return ("serviceUrl null", n => n["serviceUrl"] = null, true);
        yield return ("type empty", n => n["type"] = "", false);
        yield return ("type null", n => n["type"] = null, false);
        yield return ("no type", n => n.Remove("type"), false);
        foreach (var url in UntrustedServiceUrls)
        {
            yield return ($"serviceUrl {url}", n => n["serviceUrl"] = url, false);
        }

        var wrongTypes = new (string Path, Func<JsonNode?> Value)[]
        {
            ("type", () => 5), ("type", () => true), ("type", () => new JsonObject()), ("type", () => new JsonArray()),
            ("conversation", () => "a:x"), ("conversation", () => 5), ("conversation", () => new JsonArray()),
            ("conversation.id", () => 5), ("conversation.id", () => new JsonObject()), ("conversation.id", () => true),
            ("serviceUrl", () => 5), ("serviceUrl", () => new JsonObject()), ("serviceUrl", () => new JsonArray("x")),
            ("from", () => "29:ada"), ("from", () => 5), ("from", () => new JsonArray()), ("from.aadObjectId", () => new JsonObject()),
            ("membersAdded", () => "x"), ("membersAdded", () => new JsonObject()), ("membersAdded", () => new JsonArray(5)),
            ("timestamp", () => "yesterday"), ("conversation.isGroup", () => "yes"), ("channelData", () => "x"),
            ("channelData", () => new JsonArray()), ("channelData.tenant", () => 5), ("entities", () => new JsonObject()),
            ("attachments", () => "x"), ("text", () => new JsonArray("help")), ("recipient", () => 28),
        };
        foreach (var (path, value) in wrongTypes)
        {
            yield return ($"{path} = {value()?.ToJsonString() ?? "null"}", n => Set(n, path, value()), false);
        }

        foreach (var path in new[] { "text", "conversation.id", "from.name", "from.id", "from.aadObjectId", "channelData.tenant.id", "locale", "id" })
        {
            yield return ($"{path} with a lone high surrogate", n => Set(n, path, "help " + LoneHigh), false);
            yield return ($"{path} with a lone low surrogate", n => Set(n, path, LoneLow), false);
            // Another tenant id is refused by the single-tenant check of authentication (403) before the shape is looked at.
            yield return ($"{path} with U+0000", n => Set(n, path, "he\u0000lp"), path == "channelData.tenant.id");
        }

        yield return ("member name with a lone surrogate", n => n["x" + LoneHigh] = "y", false);
        yield return ("clientInfo time zone with a lone surrogate", n => n["entities"] = new JsonArray(
            new JsonObject { ["type"] = "clientInfo", ["timezone"] = "Europe/" + LoneHigh }), false);
        foreach (var list in new[] { "membersAdded", "membersRemoved", "entities", "attachments" })
        {
            yield return ($"{list} [null]", n => n[list] = new JsonArray((JsonNode?)null), false);
        }
    }

    private IEnumerable<(string Name, Action<JsonObject> Mutate)> MayBeAnswered()
    {
        var huge = new string('x', 100_000);
        yield return ("huge text", n => n["text"] = huge);
        yield return ("huge from.name", n => Set(n, "from.name", huge));
        yield return ("huge locale", n => n["locale"] = huge);
        yield return ("huge unknown member", n => n["extra"] = huge);
        yield return ("from null", n => n["from"] = null);
        yield return ("no from", n => n.Remove("from"));
        yield return ("from {}", n => n["from"] = new JsonObject());
        yield return ("recipient null", n => n["recipient"] = null);
        yield return ("channelData null", n => n["channelData"] = null);
        yield return ("channelData.tenant null", n => Set(n, "channelData.tenant", null));
        yield return ("conversation.conversationType unknown", n => Set(n, "conversation.conversationType", "hologram"));
        yield return ("type unknown", n => n["type"] = "teleport");
        yield return ("unhandled invoke task/fetch", n => { n["type"] = "invoke"; n["name"] = "task/fetch"; });
        yield return ("unhandled invoke without a name", n => { n["type"] = "invoke"; n.Remove("name"); });
        yield return ("clientInfo with a bogus time zone", n => n["entities"] = new JsonArray(
            new JsonObject { ["type"] = "clientInfo", ["timezone"] = "Mars/Olympus_Mons" }, new JsonObject()));
        yield return ("clientInfo time zone a number", n => n["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["timezone"] = 5 }));
        yield return ("mention without mentioned", n => n["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>x</at>" }));
        foreach (var value in new JsonNode?[] { null, 5, "x", new JsonArray(), new JsonObject() })
        {
            yield return ($"value = {value?.ToJsonString() ?? "null"}", n => n["value"] = value?.DeepClone());
        }

        yield return ("unhandled verb", n => Set(n, "value.action.verb", "no.such.verb"));
        foreach (var (path, value) in new (string, JsonNode?)[]
        {
            ("value.action", null), ("value.action", "x"), ("value.action", new JsonArray()), ("value.action.type", null), ("value.action.type", 5),
            ("value.action.type", "Action.Submit"), ("value.action.verb", null), ("value.action.verb", 5), ("value.action.verb", ""),
            ("value.action.data", null), ("value.action.data", new JsonArray(1)),
            ("value.action.data", "x"), ("value.action.data", 5), ("value.trigger", 5), ("value.verb", new JsonObject()),
            ("value.action.data.useCaseId", new JsonArray()), ("value.action.data.week", 202611),
        })
        {
            yield return ($"{path} = {value?.ToJsonString() ?? "null"}", n => Set(n, path, value?.DeepClone()));
        }
    }

    private static IEnumerable<(string Name, byte[] Body)> BrokenJson()
    {
        foreach (var (name, text) in new[]
        {
            ("empty", ""), ("whitespace", "   "), ("truncated", """{"type":"message","text":"hel"""), ("trailing comma", """{"type":"message",}"""),
            ("single quotes", "{'type':'message'}"), ("array", "[]"), ("string", "\"message\""), ("number", "42"), ("null", "null"),
            ("NaN", "NaN"), ("two objects", """{"type":"message"}{"type":"message"}"""), ("comment", """{"type":"message" /* hi */}"""),
            ("deep nesting", new string('[', 5000) + new string(']', 5000)), ("unterminated string", """{"type":"message"""),
            ("number overflow", """{"type":"message","timestamp":1e400}"""), ("escaped lone surrogate", """{"type":"message","text":"\ud800"}"""),
            ("bad escape", """{"type":"message","text":"\q"}"""), ("control character", "{\"type\":\"mess\u0001age\"}"),
        })
        {
            yield return (name, Encoding.UTF8.GetBytes(text));
        }

        yield return ("invalid UTF-8", [.. "{\"type\":\"message\",\"text\":\""u8, 0xFF, 0xFE, 0xC3, .. "\"}"u8]);
        yield return ("UTF-16 body", Encoding.Unicode.GetBytes("""{"type":"message"}"""));
    }

    private static IEnumerable<(string Name, string Csv)> BrokenCsv()
    {
        const string header = "id,name,valueModel,ownerAadObjectId,ownerDisplayName,targetUsers,currency,baselineMinutesPerTask,hourlyCost,plannedRunCostPerMonth";
        static string Row(string id = "", string name = "Triage", string owner = "6a1c0e52-0000-4000-8000-000000000001", string ownerName = "Ada") =>
            $"{id},{name},processReengineering,{owner},{ownerName},10,EUR,12,60,1000";
        yield return ("empty", "");
        yield return ("unclosed quote", header + "\n\"Triage,processReengineering");
        yield return ("quote inside a field", header + "\nx,Tri\"age,processReengineering,,,10,EUR,12,60,1000");
        yield return ("unknown column", "name,colour\nx,red");
        yield return ("missing columns", "name\nTriage");
        yield return ("owner not a GUID", header + "\n" + Row(owner: "not-a-guid"));
        yield return ("id not a GUID", header + "\n" + Row(id: "12345"));
        yield return ("name too long", header + "\n" + Row(name: new string('n', 201)));
        yield return ("owner name too long", header + "\n" + Row(ownerName: new string('a', 500_000)));
        yield return ("U+0000 in a name", header + "\n" + Row(name: "Tri\u0000age"));
        yield return ("wrong number of fields", header + "\n" + Row() + ",extra");
        yield return ("one good row, one bad", header + "\n" + Row() + "\n" + Row(owner: "x"));
        yield return ("same id twice", header + "\n" + Row(id: "6a1c0e52-0000-4000-8000-0000000000aa") + "\n" + Row(id: "6a1c0e52-0000-4000-8000-0000000000aa"));
        yield return ("too many rows", header + "\n" + string.Join("\n", Enumerable.Range(0, 10_001).Select(_ => Row())));
        yield return ("JSON instead of CSV", AdminClient.Serialize(AdminClient.ValidUseCase()));
    }

    private FuzzCase Activity(string name, Func<JsonObject> create, Action<JsonObject> mutate, bool mustBeRefused, bool mayFailAuthentication) =>
        new(name, mustBeRefused, mayFailAuthentication, () =>
        {
            var node = create();
            node["serviceUrl"] = host.ServiceUrl;
            mutate(node);
            // The token signs whatever serviceUrl the activity names (as a real, compromised or confused channel would).
            var claim = node.TryGetPropertyValue("serviceUrl", out var url) && url is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
                ? s : host.ServiceUrl;
            return Post("/api/messages", new ByteArrayContent(Encoding.UTF8.GetBytes(Json(node)))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            }, BotToken(claim));
        });

    private FuzzCase Admin(string name, HttpMethod method, string path, HttpContent? content, string? contentType) =>
        new(name, MustBeRefused: true, MayFailAuthentication: false, () =>
        {
            var request = new HttpRequestMessage(method, path) { Content = content is null ? null : Clone(content) };
            if (request.Content is not null)
            {
                request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminClient.Token(host));
            return request;
        });

    private FuzzCase AdminJson(string name, HttpMethod method, string path, JsonNode body) =>
        Admin(name, method, path, new ByteArrayContent(Encoding.UTF8.GetBytes(Json(body))), "application/json");

    private static HttpContent Clone(HttpContent content) =>
        content is MultipartContent ? content : new ByteArrayContent(content.ReadAsByteArrayAsync().GetAwaiter().GetResult());

    private string BotToken(string serviceUrl)
    {
        var now = host.Time.GetUtcNow();
        return host.Issuer.CreateBotFrameworkToken(ValueBotTestHost.AppId, serviceUrl, notBefore: now.AddHours(-1), expires: now.AddHours(1));
    }

    private static HttpRequestMessage Post(string path, HttpContent content, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A check-in submission whose active users are always wrong and a few more fields are garbage.</summary>
    private JsonObject GarbageAnswer(string week)
    {
        var data = CheckInInputs.Data(useCaseId, week, CheckInInputs.Valid());
        data[AnswerFields.ActiveUsers] = Garbage(allowNull: true);
        var fields = CheckInInputs.Valid().Keys.ToList();
        for (var i = 0; i < 3; i++)
        {
            data[fields[random.Next(fields.Count)]] = Garbage(allowNull: true);
        }

        if (random.Next(4) == 0)
        {
            data[CheckInCard.WeekKey] = Garbage();
        }

        return data;
    }

    private JsonNode? Garbage(bool allowNull = false)
    {
        var choices = new Func<JsonNode?>[]
        {
            () => "-1", () => "abc", () => -5, () => 1.5, () => new JsonObject { ["x"] = 1 }, () => new JsonArray(1, 2), () => true,
            () => "12" + LoneHigh, () => LoneLow, () => "1\u00000", () => new string('9', random.Next(1000, 20_000)), () => "  ",
            () => "@@huge-number@@", () => "NaN", () => "Infinity", () => "1e400", () => "0x10", () => "1900-W01", () => "2099-W53",
            () => "١٢٣", () => "5 ", () => "+7", () => "9999999999999999999999999999999",
        };
        var pick = random.Next(choices.Length + (allowNull ? 1 : 0));
        return pick == choices.Length ? null : choices[pick]();
    }

    private static JsonObject ToNode(Activity activity) =>
        JsonSerializer.SerializeToNode(activity, TeamsJsonContext.Default.Activity)!.AsObject();

    private static string Json(JsonNode node) => node.ToJsonString()
        .Replace(LoneHigh, "\\ud800", StringComparison.Ordinal)
        .Replace(LoneLow, "\\udc01", StringComparison.Ordinal)
        .Replace(HugeNumber, "1e400", StringComparison.Ordinal);

    private static string Label(string text) => text.Length > 40 ? $"{text.Length} characters" : text;

    /// <summary>Sets a dotted path, creating objects on the way; a step through a non-object replaces it.</summary>
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }

            current = next;
        }

        current[parts[^1]] = value;
    }
}
