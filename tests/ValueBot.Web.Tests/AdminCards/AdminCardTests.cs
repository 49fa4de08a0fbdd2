using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.AdminCards.AdminCardWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.AdminCards;

/// <summary>Admins register a use case from a card in their 1:1 chat, through the real /api/messages endpoint.</summary>
public sealed class AdminCardTests
{
    // Ada is an admin; Grace is not (she is the owner named in the form).

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnAdminGetsTheNewUseCaseCard(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);

        var response = await host.SendFromTeamsAsync(Message(Ada, "new use case"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = CardReader.FromActivity(Assert.Single(Posts(host)).Body);
        Assert.Equal("New use case", card.Heading);
        Assert.Equal("Register use case", card.Action(UseCaseFormCard.CreateVerb).Title);
        Assert.Equal("", card.Input(UseCaseFormCard.OwnerUpn).Value);
        Assert.Equal("", card.Input(UseCaseFormCard.Name).Value);
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdminIsRefusedTheCard()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));

        var sent = Assert.Single(Posts(host));
        Assert.StartsWith("Only ValueBot admins can register", TextOf(sent), StringComparison.Ordinal);
        Assert.False(IsNewUseCaseForm(sent));
    }

    [Fact]
    public async Task AdminsCanBeGivenAsOneCommaSeparatedValue()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = "aad-someone, " + Grace.AadObjectId });

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));

        Assert.True(IsNewUseCaseForm(Assert.Single(Posts(host))));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AValidSubmitRegistersTheUseCaseWithTheOwnerFoundByEmailAndAuditsTheAdmin(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedGraceAsync(host);

        var (type, value) = await InvokeAsync(host, Ada, ValidInputs());

        Assert.Equal(CardReader.ContentType, type);
        var confirmation = new CardReader(value);
        Assert.Equal("Registered: Invoice triage", confirmation.Heading);
        Assert.Equal("Grace Hopper", confirmation.Fact("Owner"));
        var stored = Assert.Single(await AllAsync(host)).UseCase;
        Assert.Equal(stored.Id.ToString("D"), confirmation.Data(UseCaseFormCard.OpenEditVerb)[UseCaseFormCard.UseCaseIdKey]!.GetValue<string>());
        Assert.Equal("Invoice triage", stored.Name);
        Assert.Equal(Grace.AadObjectId, stored.Owner?.AadObjectId);
        Assert.Equal(ValueModel.ProcessReengineering, stored.ValueModel);
        Assert.Equal(Stage.Pilot, stored.Stage);
        Assert.Equal(PnlLine.Cost, stored.PnlLine);
        Assert.Equal(100, stored.TargetUsers);
        Assert.Equal(new Baseline(10m, 500m, new Money(60m, "EUR"), 0m, 20m), stored.Baseline);
        Assert.Equal(0.3m, stored.DeclaredPilotBenefit);
        Assert.Equal(new Money(1300m, "EUR"), stored.PlannedRunCostPerMonth);
        var audit = await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AuditTrailAsync(stored.Id, CancellationToken.None));
        Assert.NotEmpty(audit);
        Assert.All(audit, a => Assert.Contains("Ada Lovelace", a.ChangedBy));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnInvalidSubmitReturnsTheCardWithTheErrorsAndStoresNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedGraceAsync(host);
        var inputs = ValidInputs();
        inputs[UseCaseFormCard.Name] = "";
        inputs[UseCaseFormCard.DeclaredPilotBenefitPercent] = "140";
        inputs[UseCaseFormCard.MinutesPerTask] = "ten";

        var (type, value) = await InvokeAsync(host, Ada, inputs);

        Assert.Equal(CardReader.ContentType, type);
        var card = new CardReader(value);
        Assert.Equal("3 fields need fixing before I can register the use case (see below). Nothing was stored.", card.TextWith("need fixing"));
        Assert.Equal("Give the use case a name.", card.Input(UseCaseFormCard.Name).ErrorMessage);
        Assert.Equal("Declared pilot benefit must be between 0 % and 100 %.", card.Input(UseCaseFormCard.DeclaredPilotBenefitPercent).ErrorMessage);
        Assert.Equal("'ten' is not a number.", card.Input(UseCaseFormCard.MinutesPerTask).ErrorMessage);
        Assert.Contains("'ten' is not a number.", card.Texts()); // shown, not only set on the input
        Assert.Equal(GraceMail, card.Input(UseCaseFormCard.OwnerUpn).Value); // what was entered is kept
        Assert.Equal("140", card.Input(UseCaseFormCard.DeclaredPilotBenefitPercent).Value);
        Assert.Empty(await AllAsync(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnerNobodyKnowsIsReportedByEmailAndNothingIsStored(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var inputs = ValidInputs();
        inputs[UseCaseFormCard.OwnerUpn] = "nobody@contoso.com";

        var (type, value) = await InvokeAsync(host, Ada, inputs);

        Assert.Equal(CardReader.ContentType, type);
        var card = new CardReader(value);
        Assert.StartsWith("'nobody@contoso.com' is not a person ValueBot knows", card.Input(UseCaseFormCard.OwnerUpn).ErrorMessage, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was stored.", card.TextWith("needs fixing"), StringComparison.Ordinal);
        Assert.Empty(await AllAsync(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SomeoneWhoIsNotAnAdminSubmittingTheVerbIsRefusedAndNothingIsStored(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedGraceAsync(host);

        var (type, value) = await InvokeAsync(host, Grace, ValidInputs());

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("Only ValueBot admins", value.GetValue<string>());
        Assert.Contains("Nothing was stored", value.GetValue<string>());
        Assert.Empty(await AllAsync(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task MoreSettingsShowsTheRestOfTheUseCaseAndCarriesWhatWasTyped(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await host.SendFromTeamsAsync(Message(Ada, "new use case"));
        var first = host.Connector.Requests.Single(r => r.Method == "POST").Json!["attachments"]![0]!["content"]!;
        var typed = ValidInputs();

        var (type, more) = await ClickAsync(host, Ada, first, UseCaseFormCard.PageVerb, typed);

        Assert.Equal(UseCaseFormCard.EssentialFields, InputIds(first));
        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        Assert.Equal(UseCaseFormCard.MoreFields, InputIds(more));
        Assert.Equal("monday", InputValue(more, UseCaseFormCard.CheckInDay));
        Assert.Equal("09:00", InputValue(more, UseCaseFormCard.CheckInTime));
        Assert.Equal("Organisation's: 15 %", (string?)Input(more, UseCaseFormCard.MaxReworkPercent)["placeholder"]);
        var register = Action(more, UseCaseFormCard.CreateVerb);
        Assert.Equal("Invoice triage", (string?)register["data"]![UseCaseFormCard.Name]);
        Assert.Equal("grace@contoso.com", (string?)register["data"]![UseCaseFormCard.OwnerUpn]);
        var back = Action(more, UseCaseFormCard.PageVerb);
        Assert.Equal("essentials", (string?)back["data"]![UseCaseFormCard.PageKey]);
        Assert.Empty(await AllAsync(host));

        // Back keeps what was typed on both pages.
        var (_, again) = await ClickAsync(host, Ada, more, UseCaseFormCard.PageVerb, new() { [UseCaseFormCard.OrgUnit] = "Finance" });
        Assert.Equal("Invoice triage", InputValue(again, UseCaseFormCard.Name));
        Assert.Equal("Finance", (string?)Action(again, UseCaseFormCard.CreateVerb)["data"]![UseCaseFormCard.OrgUnit]);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task RegisteringFromMoreSettingsStoresEveryFieldOfTheUseCaseAndTheOwnersManager(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedGraceAsync(host);
        await SeedPersonAsync(host, Lin, "Lin Delegate", "lin@contoso.com");
        await SeedPersonAsync(host, Sam, "Sam Sponsor", "sam@contoso.com");
        await SeedPersonAsync(host, Mia, "Mia Manager", "mia@contoso.com");
        var first = JsonNode.Parse(UseCaseFormCard.Build().ToJson())!;
        var typed = ValidInputs();
        typed[UseCaseFormCard.ReworkBeforeAiPercent] = "5";
        var (_, more) = await ClickAsync(host, Ada, first, UseCaseFormCard.PageVerb, typed);

        var (type, confirmation) = await ClickAsync(host, Ada, more, UseCaseFormCard.CreateVerb, new()
        {
            [UseCaseFormCard.DelegateUpn] = "LIN@contoso.com",
            [UseCaseFormCard.SponsorUpn] = "sam@contoso.com",
            [UseCaseFormCard.ManagerUpn] = "mia@contoso.com",
            [UseCaseFormCard.OrgUnit] = "Finance operations",
            [UseCaseFormCard.Workflow] = "Invoice intake to approval",
            [UseCaseFormCard.SuccessCriteria] = "Half the handling time by Q2",
            [UseCaseFormCard.LaunchDate] = "2026-09-01",
            [UseCaseFormCard.MaxReworkPercent] = "12",
            [UseCaseFormCard.MinAdoptionPercent] = "50",
            [UseCaseFormCard.MaxExceptionRatePercent] = "8",
            [UseCaseFormCard.CheckInDay] = "tuesday",
            [UseCaseFormCard.CheckInTime] = "10:30",
        });

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        Assert.Equal("Registered: Invoice triage", (string?)confirmation["body"]![0]!["text"]);
        var stored = Assert.Single(await AllAsync(host)).UseCase;
        Assert.Equal(Grace.AadObjectId, stored.Owner?.AadObjectId);
        Assert.Equal((Lin, "Lin Delegate"), (stored.Delegate?.AadObjectId, stored.Delegate?.DisplayName));
        Assert.Equal(Sam, stored.Sponsor?.AadObjectId);
        Assert.Equal("Finance operations", stored.OrgUnit);
        Assert.Equal("Invoice intake to approval", stored.Workflow);
        Assert.Equal("Half the handling time by Q2", stored.SuccessCriteria);
        Assert.Equal(new DateOnly(2026, 9, 1), stored.LaunchDate);
        Assert.Equal(new Baseline(10m, 500m, new Money(60m, "EUR"), 0.05m, 20m), stored.Baseline);
        Assert.Equal(new EvaluationPolicyOverrides { MaxReworkRate = 0.12m, MinAdoption = 0.5m, MaxExceptionRate = 0.08m }, stored.PolicyOverrides);
        Assert.Equal(new CheckInSchedule(DayOfWeek.Tuesday, new TimeOnly(10, 30)), stored.CheckInSchedule);
        var grace = await host.WithScopeAsync(sp => sp.GetRequiredService<KnownPeople>().FindAsync(Grace.AadObjectId, CancellationToken.None));
        Assert.Equal(Mia, grace?.ManagerAadObjectId);
        var managerAudit = await host.WithScopeAsync(async sp => await sp.GetRequiredService<ValueBot.Web.Persistence.ValueBotDbContext>()
            .Set<AuditEntry>().Where(a => a.Entity == KnownPeople.AuditEntity).ToListAsync());
        var entry = Assert.Single(managerAudit);
        Assert.Equal((Grace.AadObjectId, "managerAadObjectId", (string?)null, (string?)Mia), (entry.EntityId, entry.Field, entry.OldValue, entry.NewValue));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AScheduleAfterTheWeekClosesIsRefusedOnMoreSettingsAndNothingIsStored(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedGraceAsync(host);
        var inputs = ValidInputs();
        inputs[UseCaseFormCard.CheckInDay] = "friday";
        inputs[UseCaseFormCard.CheckInTime] = "12:00";

        var (type, card) = await InvokeAsync(host, Ada, inputs);

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        Assert.Equal(UseCaseFormCard.MoreFields, InputIds(card)); // the page with the error
        var error = (string?)Input(card, UseCaseFormCard.CheckInDay)["errorMessage"];
        Assert.StartsWith("A check-in sent on Friday at 12:00 would arrive after its week closes (Friday 12:00", error);
        Assert.EndsWith("Pick a day and time before Friday 12:00.", error);
        Assert.Equal("friday", InputValue(card, UseCaseFormCard.CheckInDay)); // what was entered is kept
        Assert.Empty(await AllAsync(host));

        inputs[UseCaseFormCard.CheckInTime] = "11:59";
        var (_, registered) = await InvokeAsync(host, Ada, inputs);
        Assert.Equal("Registered: Invoice triage", (string?)registered["body"]![0]!["text"]);
        Assert.Equal(new CheckInSchedule(DayOfWeek.Friday, new TimeOnly(11, 59)), Assert.Single(await AllAsync(host)).UseCase.CheckInSchedule);
    }

    [Fact]
    public async Task TheScheduleIsCheckedAgainstTheConfiguredClose()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Admin:TeamsAdmins:0"] = Ada.AadObjectId,
            ["Schedule:DeadlineDay"] = "Sunday",
            ["Schedule:DeadlineTime"] = "18:00",
        });
        await SeedGraceAsync(host);
        var inputs = ValidInputs();
        inputs[UseCaseFormCard.CheckInDay] = "saturday";

        var (_, registered) = await InvokeAsync(host, Ada, inputs);

        Assert.Equal("Registered: Invoice triage", (string?)registered["body"]![0]!["text"]);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnersUpnIsAcceptedWhateverIdTeamsGaveThem(string engine)
    {
        // The Agents Playground's users have object ids that are not GUIDs; a person ValueBot knows is found by UPN or
        // email and taken with the id it knows, in local mode as elsewhere.
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Admin:TeamsAdmins:0"] = Ada.AadObjectId,
            ["Bot:LocalMode"] = "true",
        });
        const string Megan = "00000000-0000-0000-0000-0000000000021";
        await SeedPersonAsync(host, Megan, "Megan Bowen", "meganb@example.com", mail: "megan.bowen@example.com");
        var inputs = ValidInputs();
        inputs[UseCaseFormCard.OwnerUpn] = "MeganB@example.com";
        inputs[UseCaseFormCard.SponsorUpn] = "megan.bowen@example.com";

        var (_, registered) = await InvokeAsync(host, Ada, inputs);

        Assert.Equal("Registered: Invoice triage", (string?)registered["body"]![0]!["text"]);
        var stored = Assert.Single(await AllAsync(host)).UseCase;
        Assert.Equal((Megan, "Megan Bowen"), (stored.Owner?.AadObjectId, stored.Owner?.DisplayName));
        Assert.Equal(Megan, stored.Sponsor?.AadObjectId);
    }

    [Fact]
    public async Task WithGraphTheOwnerAndTheManagerAreFoundByUpnInTheDirectory()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.AddUser(new GraphUser(Grace.AadObjectId, "grace.hopper@contoso.onmicrosoft.com", Grace.Name, Mail: "grace@contoso.com"));
        graph.AddUser(new GraphUser(Mia, "mia@contoso.com", "Mia Manager"));
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Admin:TeamsAdmins:0"] = Ada.AadObjectId,
            ["Graph:Enabled"] = "true",
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:Credential:Type"] = "None",
            ["Graph:TeamsAppExternalId"] = "5f0c6e2a-8d4b-4a57-9d1e-7c3b2a1f0e9d",
        });
        var inputs = ValidInputs();
        inputs[UseCaseFormCard.OwnerUpn] = "grace.hopper@contoso.onmicrosoft.com";
        inputs[UseCaseFormCard.ManagerUpn] = "mia@contoso.com";
        inputs[UseCaseFormCard.DelegateUpn] = "nobody@contoso.com";

        var (_, refused) = await InvokeAsync(host, Ada, inputs);
        inputs[UseCaseFormCard.DelegateUpn] = "";
        var (_, registered) = await InvokeAsync(host, Ada, inputs);

        Assert.Equal("'nobody@contoso.com': no user 'nobody@contoso.com' in the directory.", (string?)Input(refused, UseCaseFormCard.DelegateUpn)["errorMessage"]);
        Assert.Equal("Registered: Invoice triage", (string?)registered["body"]![0]!["text"]);
        var stored = Assert.Single(await AllAsync(host)).UseCase;
        Assert.Equal((Grace.AadObjectId, Grace.Name), (stored.Owner?.AadObjectId, stored.Owner?.DisplayName));
        Assert.Null(stored.Delegate);
        var grace = await host.WithScopeAsync(sp => sp.GetRequiredService<KnownPeople>().FindAsync(Grace.AadObjectId, CancellationToken.None));
        Assert.Equal(("grace.hopper@contoso.onmicrosoft.com", "grace@contoso.com", Mia), (grace?.UserPrincipalName, grace?.Mail, grace?.ManagerAadObjectId));
    }

    [Fact]
    public void TheCardsValidateAgainstTheAdaptiveCard15Schema()
    {
        var errors = new List<FieldError> { new("name", "Give the use case a name."), new("owner.upn", "'x@y': not found."), new("stopLoss", "Other.") };
        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Name = "Invoice triage",
            ValueModel = ValueModel.ProcessReengineering,
            Owner = new PersonRef(Grace.AadObjectId, Grace.Name),
            TargetUsers = 100,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        };
        var cards = new[]
        {
            UseCaseFormCard.Build(),
            UseCaseFormCard.Build(errors, ValidInputs()),
            UseCaseFormCard.Build(null, ValidInputs(), FormPage.More),
            UseCaseFormCard.Build([new FieldError("checkInSchedule", "Too late.")], ValidInputs()),
            UseCaseFormCard.Registered(useCase, "Ada Lovelace (aad-ada)"),
            UseCaseFormCard.BuildEdit(new UseCaseFormCard.EditState(useCase.Id, 3, "grace@contoso.com"), UseCaseFormCard.ValuesOf(useCase, "grace@contoso.com")),
            UseCaseFormCard.BuildEdit(new UseCaseFormCard.EditState(useCase.Id, 3, "grace@contoso.com"), ValidInputs(), errors),
            UseCaseFormCard.Updated(useCase, [new FieldChange("name", "Old", "Invoice triage"), new FieldChange("stopLoss.maxReworkRate", null, "0.12")], 4, "Ada Lovelace (aad-ada)"),
            UseCaseFormCard.Updated(useCase, [], 3, "Ada Lovelace (aad-ada)"),
        };

        Assert.All(cards, c => Assert.True(c.SizeInBytes() < 80 * 1024));
        var results = ValueBot.Testing.SchemaValidator.Validate(ValueBot.Testing.RepositoryPaths.AdaptiveCardSchema, cards.Select(c => c.ToJson()).ToArray());
        Assert.All(results, r => Assert.True(r.Valid, string.Join("\n", r.Errors)));
    }

    private static Task<IReadOnlyList<StoredUseCase>> AllAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AllAsync(CancellationToken.None));

    private const string Lin = "6a1c0e52-0000-4000-8000-0000000001e1";
    private const string Sam = "6a1c0e52-0000-4000-8000-0000000005a1";
    private const string Mia = "6a1c0e52-0000-4000-8000-00000000031a";

    private static List<string> InputIds(JsonNode card) =>
        card["body"]!.AsArray().Where(e => ((string?)e!["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true).Select(e => (string)e!["id"]!).ToList();

    private static JsonNode Input(JsonNode card, string id) => card["body"]!.AsArray().Single(e => (string?)e!["id"] == id)!;

    private static string? InputValue(JsonNode card, string id) => Input(card, id)["value"]?.ToString();

    private static JsonNode Action(JsonNode card, string verb) => card["actions"]!.AsArray().Single(a => (string?)a!["verb"] == verb)!;

    /// <summary>Clicks the card's action with <paramref name="verb"/> as Teams does: its data with the inputs typed merged in.</summary>
    private static async Task<(string Type, JsonNode Value)> ClickAsync(ValueBotTestHost host, User user, JsonNode card, string verb, Dictionary<string, string?> typed)
    {
        var data = Action(card, verb)["data"]!.DeepClone().AsObject();
        foreach (var id in InputIds(card))
        {
            data[id] = typed.TryGetValue(id, out var value) ? value : InputValue(card, id);
        }

        return await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(user, verb, data)));
    }

    private static Dictionary<string, string?> ValidInputs() => new()
    {
        [UseCaseFormCard.Name] = "Invoice triage",
        [UseCaseFormCard.Description] = "AI reads incoming invoices and routes them.",
        [UseCaseFormCard.ValueModelField] = "processReengineering",
        [UseCaseFormCard.StageField] = "pilot",
        [UseCaseFormCard.OwnerUpn] = "grace@contoso.com",
        [UseCaseFormCard.PnlLineField] = "cost",
        [UseCaseFormCard.TargetUsers] = "100",
        [UseCaseFormCard.MinutesPerTask] = "10",
        [UseCaseFormCard.TasksPerWeek] = "500",
        [UseCaseFormCard.HourlyCost] = "60",
        [UseCaseFormCard.Currency] = "EUR",
        [UseCaseFormCard.MinutesPerException] = "20",
        [UseCaseFormCard.DeclaredPilotBenefitPercent] = "30",
        [UseCaseFormCard.PlannedRunCostPerMonth] = "1300",
    };

    private static async Task<(string Type, JsonNode Value)> InvokeAsync(ValueBotTestHost host, User user, Dictionary<string, string?> inputs)
    {
        var data = new JsonObject();
        foreach (var (key, value) in inputs)
        {
            data[key] = value;
        }

        return await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(user, UseCaseFormCard.CreateVerb, data)));
    }
}
