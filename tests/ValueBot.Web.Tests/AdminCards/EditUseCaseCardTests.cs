using System.Text.Json.Nodes;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.AdminCards.AdminCardWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.AdminCards;

/// <summary>Admins edit a use case from a card in their 1:1 chat (<c>edit use case …</c>), through the real /api/messages endpoint.</summary>
public sealed class EditUseCaseCardTests
{
    private const string LinId = "6a1c0e52-0000-4000-8000-0000000001e1";

    // Ada is an admin; Grace owns the use case and is not an admin.
    private static readonly Guid Id = Guid.Parse("3f2a8c1e-0000-4000-8000-000000000001");

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnAdminGetsTheFormPrefilledWithTheStoredValues(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);

        await host.SendFromTeamsAsync(Message(Ada, "edit use case invoice TRIAGE"));

        var card = CardReader.FromActivity(Assert.Single(Posts(host)).Body);
        Assert.Equal("Edit use case", card.Heading);
        Assert.Equal("Invoice triage", card.Input(UseCaseFormCard.Name).Value);
        Assert.Equal(GraceMail, card.Input(UseCaseFormCard.OwnerUpn).Value);
        Assert.Equal("processReengineering", card.Input(UseCaseFormCard.ValueModelField).Value);
        Assert.Equal("production", card.Input(UseCaseFormCard.StageField).Value);
        Assert.Equal("100", card.Input(UseCaseFormCard.TargetUsers).Value);
        Assert.Equal("12.5", card.Input(UseCaseFormCard.MinutesPerTask).Value);
        Assert.Equal("30", card.Input(UseCaseFormCard.DeclaredPilotBenefitPercent).Value);
        Assert.Equal(UseCaseFormCard.UpdateVerb, card.Actions()[0].Verb); // Save is the first action
        Assert.Equal(Id.ToString("D"), card.Data(UseCaseFormCard.UpdateVerb)[UseCaseFormCard.UseCaseIdKey]!.GetValue<string>());
        Assert.Equal(0, card.Data(UseCaseFormCard.UpdateVerb)[UseCaseFormCard.RowVersionKey]!.GetValue<int>());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SavingAppliesTheChangeAuditsEachFieldKeepsWhatTheCardDoesNotShowAndAnswersWithTheSummary(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var inputs = await OpenFormAsync(host);
        inputs[UseCaseFormCard.Name] = "Invoice triage v2";
        inputs[UseCaseFormCard.TargetUsers] = "120";
        inputs[UseCaseFormCard.DeclaredPilotBenefitPercent] = "25";

        var (type, value) = await SaveAsync(host, Ada, inputs, rowVersion: 0);

        Assert.Equal(CardReader.ContentType, type);
        var summary = new CardReader(value);
        Assert.Equal("Updated: Invoice triage v2", summary.Heading);
        Assert.Equal("100 → 120", summary.Fact("targetUsers"));
        Assert.Equal("Invoice triage → Invoice triage v2", summary.Fact("name"));
        Assert.Equal("120", summary.Fact("Target users"));
        var stored = await GetAsync(host);
        Assert.Equal(1, stored.RowVersion);
        Assert.Equal("Invoice triage v2", stored.UseCase.Name);
        Assert.Equal(120, stored.UseCase.TargetUsers);
        Assert.Equal(0.25m, stored.UseCase.DeclaredPilotBenefit);
        Assert.Equal(Grace.AadObjectId, stored.UseCase.Owner?.AadObjectId);
        // Not on the card, so kept: delegate, reworkRateBeforeAi, own thresholds and rules, schedule.
        Assert.Equal(LinId, stored.UseCase.Delegate?.AadObjectId);
        Assert.Equal(0.07m, stored.UseCase.Baseline.ReworkRateBeforeAi);
        Assert.Equal(new EvaluationPolicyOverrides { MaxReworkRate = 0.12m, CostDriftFactor = 1.5m }, stored.UseCase.PolicyOverrides);
        Assert.Equal(new CheckInSchedule(DayOfWeek.Tuesday, new TimeOnly(10, 30)), stored.UseCase.CheckInSchedule);
        var audit = await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AuditTrailAsync(Id, CancellationToken.None));
        Assert.Equal(["created", "name", "targetUsers", "declaredPilotBenefit"], audit.Select(a => a.Field));
        Assert.All(audit.Skip(1), a => Assert.Equal($"Ada Lovelace ({Ada.AadObjectId})", a.ChangedBy));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task MoreSettingsEditsTheScheduleAndThePeopleAndRefusesASendAfterTheClose(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await host.SendFromTeamsAsync(Message(Ada, "edit use case Invoice triage"));
        var first = host.Connector.Requests.Single(r => r.Method == "POST").Json!["attachments"]![0]!["content"]!;
        var turn = first["actions"]!.AsArray().Single(a => (string?)a!["verb"] == UseCaseFormCard.PageVerb)!["data"]!.DeepClone().AsObject();
        foreach (var (id, value) in Inputs(first))
        {
            turn[id] = value;
        }

        var (_, more) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(Ada, UseCaseFormCard.PageVerb, turn)));
        var inputs = Fields(more);
        Assert.Equal(LinId, inputs[UseCaseFormCard.DelegateUpn]);
        Assert.Equal(("tuesday", "10:30", "12"), (inputs[UseCaseFormCard.CheckInDay], inputs[UseCaseFormCard.CheckInTime], inputs[UseCaseFormCard.MaxReworkPercent]));
        Assert.Equal("Invoice triage", inputs[UseCaseFormCard.Name]); // carried from the first page

        inputs[UseCaseFormCard.CheckInDay] = "sunday";
        var (_, refused) = await SaveAsync(host, Ada, inputs, rowVersion: 0);
        var day = refused["body"]!.AsArray().Single(e => (string?)e!["id"] == UseCaseFormCard.CheckInDay)!;
        Assert.StartsWith("A check-in sent on Sunday at 10:30 would arrive after its week closes", (string?)day["errorMessage"]);
        Assert.Equal(0, (await GetAsync(host)).RowVersion);

        inputs[UseCaseFormCard.CheckInDay] = "wednesday";
        inputs[UseCaseFormCard.DelegateUpn] = "";
        inputs[UseCaseFormCard.SponsorUpn] = "ada@contoso.com";
        inputs[UseCaseFormCard.MaxReworkPercent] = "";
        var (_, summary) = await SaveAsync(host, Ada, inputs, rowVersion: 0);

        Assert.Equal("Updated: Invoice triage", (string?)summary["body"]![0]!["text"]);
        var stored = await GetAsync(host);
        Assert.Equal(new CheckInSchedule(DayOfWeek.Wednesday, new TimeOnly(10, 30)), stored.UseCase.CheckInSchedule);
        Assert.Null(stored.UseCase.Delegate);
        Assert.Equal(Ada.AadObjectId, stored.UseCase.Sponsor?.AadObjectId);
        Assert.Equal(new EvaluationPolicyOverrides { CostDriftFactor = 1.5m }, stored.UseCase.PolicyOverrides);
        var audit = await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AuditTrailAsync(Id, CancellationToken.None));
        Assert.Equal(["created", "delegate", "sponsor", "checkInSchedule", "stopLoss.maxReworkRate"], audit.Select(a => a.Field));
    }

    [Fact]
    public async Task TheEditButtonOfTheSummaryOpensTheFormForTheCurrentVersion()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var inputs = await OpenFormAsync(host);
        inputs[UseCaseFormCard.TargetUsers] = "150";
        var (_, summary) = await SaveAsync(host, Ada, inputs, rowVersion: 0);
        var edit = summary["actions"]!.AsArray().Single(a => (string?)a!["verb"] == UseCaseFormCard.OpenEditVerb)!;

        var (type, form) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(
            CardAction(Ada, UseCaseFormCard.OpenEditVerb, edit["data"]!.DeepClone().AsObject())));
        var (_, refused) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(
            CardAction(Grace, UseCaseFormCard.OpenEditVerb, edit["data"]!.DeepClone().AsObject())));

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        Assert.Equal("150", Inputs(form)[UseCaseFormCard.TargetUsers]);
        Assert.Equal(1, (int?)form["actions"]![0]!["data"]![UseCaseFormCard.RowVersionKey]);
        Assert.Contains("Only ValueBot admins", refused.GetValue<string>());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AStaleCardIsToldItChangedMeanwhileAndChangesNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var inputs = await OpenFormAsync(host);
        // Someone else renames it after the card was sent.
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            var current = (await registry.GetAsync(Id, CancellationToken.None))!;
            return await registry.UpdateAsync(Id, current.UseCase with { Name = "Renamed elsewhere" }, 0, "api", CancellationToken.None);
        });
        inputs[UseCaseFormCard.TargetUsers] = "999";

        var (type, value) = await SaveAsync(host, Ada, inputs, rowVersion: 0);

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("changed by someone else meanwhile", value.GetValue<string>());
        Assert.Contains("Nothing was changed", value.GetValue<string>());
        var stored = await GetAsync(host);
        Assert.Equal(("Renamed elsewhere", 100, 1), (stored.UseCase.Name, stored.UseCase.TargetUsers, stored.RowVersion));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnInvalidEditReturnsTheFormWithTheErrorsAndChangesNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var inputs = await OpenFormAsync(host);
        inputs[UseCaseFormCard.Name] = "";
        inputs[UseCaseFormCard.TargetUsers] = "0";
        inputs[UseCaseFormCard.MinutesPerTask] = "ten";

        var (type, value) = await SaveAsync(host, Ada, inputs, rowVersion: 0);

        Assert.Equal(CardReader.ContentType, type);
        var card = new CardReader(value);
        Assert.EndsWith("Nothing was changed.", card.TextWith("need fixing"), StringComparison.Ordinal);
        Assert.Equal("Give the use case a name.", card.Input(UseCaseFormCard.Name).ErrorMessage);
        Assert.Equal("Target users must be at least 1.", card.Input(UseCaseFormCard.TargetUsers).ErrorMessage);
        Assert.Equal("'ten' is not a number.", card.Input(UseCaseFormCard.MinutesPerTask).ErrorMessage);
        Assert.Contains("Target users must be at least 1.", card.Texts());
        // The form again, still editing the same version.
        Assert.Equal(Id.ToString("D"), card.Data(UseCaseFormCard.UpdateVerb)[UseCaseFormCard.UseCaseIdKey]!.GetValue<string>());
        Assert.Equal(0, card.Data(UseCaseFormCard.UpdateVerb)[UseCaseFormCard.RowVersionKey]!.GetValue<int>());
        var stored = await GetAsync(host);
        Assert.Equal(("Invoice triage", 0), (stored.UseCase.Name, stored.RowVersion));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ANewOwnerIsFoundByEmailThroughThePeopleLookup(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var inputs = await OpenFormAsync(host);
        inputs[UseCaseFormCard.OwnerUpn] = "ada@contoso.com";

        var (_, value) = await SaveAsync(host, Ada, inputs, rowVersion: 0);

        Assert.Equal("Updated: Invoice triage", new CardReader(value).Heading);
        Assert.Equal("Ada Lovelace", new CardReader(value).Fact("Owner"));
        var stored = await GetAsync(host);
        Assert.Equal((Ada.AadObjectId, "Ada Lovelace"), (stored.UseCase.Owner?.AadObjectId, stored.UseCase.Owner?.DisplayName));

        inputs[UseCaseFormCard.OwnerUpn] = "nobody@contoso.com";
        var (type, again) = await SaveAsync(host, Ada, inputs, rowVersion: 1);
        Assert.Equal(CardReader.ContentType, type);
        Assert.StartsWith("'nobody@contoso.com' is not a person ValueBot knows", new CardReader(again).Input(UseCaseFormCard.OwnerUpn).ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, (await GetAsync(host)).RowVersion);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SomeoneWhoIsNotAnAdminIsRefusedTheFormAndTheSaveAndNothingChanges(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);

        await host.SendFromTeamsAsync(Message(Grace, "edit use case Invoice triage"));
        var inputs = Inputs(JsonNode.Parse(UseCaseFormCard.BuildEdit(new UseCaseFormCard.EditState(Id, 0, "grace@contoso.com"),
            UseCaseFormCard.ValuesOf((await GetAsync(host)).UseCase, "grace@contoso.com")).ToJson())!);
        inputs[UseCaseFormCard.Name] = "Taken over";
        var (type, value) = await SaveAsync(host, Grace, inputs, rowVersion: 0);

        var sent = Assert.Single(Posts(host));
        Assert.StartsWith("Only ValueBot admins", TextOf(sent), StringComparison.Ordinal);
        Assert.Empty(sent.Json!["attachments"]?.AsArray() ?? []);
        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("Nothing was changed", value.GetValue<string>());
        Assert.Equal(("Invoice triage", 0), ((await GetAsync(host)).UseCase.Name, (await GetAsync(host)).RowVersion));
    }

    [Theory]
    [InlineData("edit use case", "Which use case?")]
    [InlineData("edit use case Payroll", "No use case is called 'Payroll'.")]
    [InlineData("edit use case triage", "Did you mean: Invoice triage (3f2a8c1e-0000-4000-8000-000000000001).")]
    [InlineData("edit use case 3f2a8c1e-0000-4000-8000-0000000000ff", "No use case has the id")]
    public async Task WithoutAnExactNameOrIdTheAdminIsToldWhatToType(string text, string expected)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);
        await SeedAsync(host);

        await host.SendFromTeamsAsync(Message(Ada, text));

        var sent = Assert.Single(Posts(host));
        Assert.Contains(expected, TextOf(sent));
        Assert.Empty(sent.Json!["attachments"]?.AsArray() ?? []); // no form
    }

    [Fact]
    public async Task TwoUseCasesWithTheSameNameAreListedWithTheirIds()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var other = Guid.Parse("3f2a8c1e-0000-4000-8000-000000000002");
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            var first = (await registry.GetAsync(Id, CancellationToken.None))!.UseCase;
            return await registry.CreateAsync(first with { Id = other }, "seed", CancellationToken.None);
        });

        await host.SendFromTeamsAsync(Message(Ada, "edit use case Invoice triage"));

        var text = TextOf(Assert.Single(Posts(host)));
        Assert.Contains("Several use cases are called", text);
        Assert.Contains(Id.ToString("D"), text);
        Assert.Contains(other.ToString("D"), text);
    }

    private static async Task SeedAsync(ValueBotTestHost host)
    {
        await SeedGraceAsync(host);
        await SeedPersonAsync(host, Ada.AadObjectId, Ada.Name, "ada@contoso.com");
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            return await registry.CreateAsync(new UseCase
            {
                Id = Id,
                Name = "Invoice triage",
                Description = "AI reads incoming invoices and routes them.",
                ValueModel = ValueModel.ProcessReengineering,
                Stage = Stage.Production,
                Owner = new PersonRef(Grace.AadObjectId, Grace.Name),
                Delegate = new PersonRef(LinId, "Lin Delegate"),
                TargetUsers = 100,
                Baseline = new Baseline(12.5m, 500m, new Money(60m, "EUR"), 0.07m, 20m),
                DeclaredPilotBenefit = 0.3m,
                PlannedRunCostPerMonth = new Money(1300m, "EUR"),
                PolicyOverrides = new EvaluationPolicyOverrides { MaxReworkRate = 0.12m, CostDriftFactor = 1.5m },
                CheckInSchedule = new CheckInSchedule(DayOfWeek.Tuesday, new TimeOnly(10, 30)),
            }, "seed", CancellationToken.None);
        });
    }

    private static Task<StoredUseCase> GetAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(async sp => (await sp.GetRequiredService<UseCaseRegistry>().GetAsync(Id, CancellationToken.None))!);

    /// <summary>
    /// Sends "edit use case" and returns the form's fields as Teams would submit Save unchanged: the inputs of the page
    /// shown with the other page's values from the action's data.
    /// </summary>
    private static async Task<Dictionary<string, string?>> OpenFormAsync(ValueBotTestHost host)
    {
        await host.SendFromTeamsAsync(Message(Ada, "edit use case Invoice triage"));
        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        host.Connector.Reset();
        return Fields(sent.Json!["attachments"]![0]!["content"]!);
    }

    private static Dictionary<string, string?> Fields(JsonNode card)
    {
        var data = card["actions"]!.AsArray().Single(a => (string?)a!["verb"] == UseCaseFormCard.UpdateVerb)!["data"]!.AsObject();
        var fields = UseCaseFormCard.Fields.Where(f => data[f] is not null).ToDictionary(f => f, f => (string?)data[f], StringComparer.Ordinal);
        foreach (var (id, value) in Inputs(card))
        {
            fields[id] = value;
        }

        return fields;
    }

    private static Dictionary<string, string?> Inputs(JsonNode card) =>
        card["body"]!.AsArray()
            .Where(e => ((string?)e!["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true)
            .ToDictionary(e => (string)e!["id"]!, e => e!["value"] is { } v ? v.ToString() : null, StringComparer.Ordinal);

    private static async Task<(string Type, JsonNode Value)> SaveAsync(ValueBotTestHost host, User user, Dictionary<string, string?> inputs, int rowVersion)
    {
        var data = new JsonObject
        {
            [UseCaseFormCard.UseCaseIdKey] = Id.ToString("D"),
            [UseCaseFormCard.RowVersionKey] = rowVersion,
            [UseCaseFormCard.OwnerShownKey] = "grace@contoso.com",
            [UseCaseFormCard.DelegateShownKey] = LinId, // Lin is known by name only, so shown by object id
        };
        foreach (var (key, value) in inputs)
        {
            data[key] = value;
        }

        return await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(user, UseCaseFormCard.UpdateVerb, data)));
    }
}
