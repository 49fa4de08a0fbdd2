using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

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
        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.Contains("application/vnd.microsoft.card.adaptive", sent.Body);
        Assert.Contains("New use case", sent.Body);
        Assert.Contains(UseCaseFormCard.CreateVerb, sent.Body);
        Assert.Contains("Action.Execute", sent.Body);
        Assert.Contains(UseCaseFormCard.OwnerUpn, sent.Body);
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdminIsRefusedTheCard()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));

        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.Contains("Only ValueBot admins can register", sent.Body);
        Assert.DoesNotContain(UseCaseFormCard.CreateVerb, sent.Body);
    }

    [Fact]
    public async Task AdminsCanBeGivenAsOneCommaSeparatedValue()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = "aad-someone, " + Grace.AadObjectId });

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));

        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.Contains(UseCaseFormCard.CreateVerb, sent.Body);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AValidSubmitRegistersTheUseCaseWithTheOwnerFoundByEmailAndAuditsTheAdmin(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedGraceAsync(host);

        var (type, value) = await InvokeAsync(host, Ada, ValidInputs());

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var confirmation = value.ToJsonString(Readable);
        Assert.Contains("Registered: Invoice triage", confirmation);
        Assert.Contains("Grace Hopper", confirmation);
        Assert.Contains(UseCaseFormCard.OpenEditVerb, confirmation);
        var stored = Assert.Single(await AllAsync(host)).UseCase;
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

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var card = value.ToJsonString(Readable);
        Assert.Contains("Nothing was stored", card);
        Assert.Contains("Give the use case a name.", card);
        Assert.Contains("between 0 % and 100 %", card);
        Assert.Contains("'ten' is not a number.", card);
        Assert.Contains("grace@contoso.com", card); // what was entered is kept
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

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var card = value.ToJsonString(Readable);
        Assert.Contains("'nobody@contoso.com'", card);
        Assert.Contains("Nothing was stored", card);
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

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Task<ValueBotTestHost> StartAsync(TestDatabase database) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Admin:TeamsAdmins:0"] = Ada.AadObjectId });

    /// <summary>Graph is not configured in the test host, so the owner is found among the people ValueBot knows.</summary>
    private static Task SeedGraceAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<UseCaseRegistry>().RememberPersonAsync(new Person
            {
                AadObjectId = Grace.AadObjectId,
                DisplayName = Grace.Name,
                UserPrincipalName = "grace@contoso.com",
                Mail = "grace@contoso.com",
            }, CancellationToken.None);
            return 0;
        });

    private static Task<IReadOnlyList<StoredUseCase>> AllAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AllAsync(CancellationToken.None));

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
