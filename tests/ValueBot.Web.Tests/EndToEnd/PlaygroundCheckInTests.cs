using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.EndToEnd;

/// <summary>
/// The weekly check-in in Microsoft's Agents Playground against the real host in local mode on SQLite: a use case
/// registered through the admin API with the local admin key, owned by the playground's signed-in user (Alex Wilber).
/// </summary>
public sealed class PlaygroundCheckInTests() : LocalModePlaygroundTests(new Dictionary<string, string?> { ["Admin:LocalKey"] = AdminKey })
{
    private const string AdminKey = "playground-admin-key";

    // Megan Bowen, the playground's second built-in user; not a member of Alex's 1:1 chat with the bot.
    private const string OtherUserId = "user-id-1";
    private const string OtherUserAadObjectId = "00000000-0000-0000-0000-0000000000021";

    [Fact]
    public async Task OwnerGetsTheCardFixesAnInvalidAnswerGetsTheReceiptAndAnotherUserIsRefused()
    {
        var owner = Playground.Config.GetProperty("currentUser");
        var useCaseId = await RegisterUseCaseAsync(AdminKey, "Playground triage", owner.GetProperty("aadObjectId").GetString()!, owner.GetProperty("name").GetString()!);
        await InstallPersonalAsync();

        // 1. "checkin" → this week's card.
        await Playground.SendTextAsync("checkin");
        var card = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage")))[0];
        Assert.Equal(Playground.PersonalConversationId, card.ConversationId);
        var hidden = CardOf(card).Data(CheckInCard.AnswerVerb);
        Assert.Equal(useCaseId.ToString("D"), hidden[CheckInCard.UseCaseIdKey]!.GetValue<string>());

        // 2. An invalid answer: the card comes back with the errors, and nothing is stored.
        var invalid = Answer(hidden, activeUsers: null, reworkPercent: "140");
        var refused = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, invalid, replyToId: card.MessageId);
        var errorCard = CardOf(refused);
        Assert.EndsWith("Nothing was stored.", errorCard.TextWith("need fixing"), StringComparison.Ordinal);
        Assert.Equal("Enter the number of active users this week (0 if none).", errorCard.Input(AnswerFields.ActiveUsers).ErrorMessage);
        Assert.Equal("The rework must be a percentage from 0 to 100.", errorCard.Input(AnswerFields.ReworkPercent).ErrorMessage);
        Assert.Equal("140", errorCard.Input(AnswerFields.ReworkPercent).Value);
        Assert.Empty(await CheckInRowsAsync());
        Assert.Empty(await AnswerAuditAsync());

        // 3. A valid answer: stored, and the receipt replaces the card.
        var stored = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, Answer(hidden, activeUsers: "80", reworkPercent: "10"), replyToId: card.MessageId);
        Assert.Equal("Thanks, check-in stored: Playground triage, week " + Assert.Single(await CheckInRowsAsync()).Week, CardOf(stored).Heading);
        // Action.Execute: the invoke response's card replaces the clicked card. The playground swaps it in its own store
        // and its web client redraws from this response; no websocket event follows, and the bot sent nothing new.
        Assert.DoesNotContain(Playground.BotMessages, m => m.CardContains("Thanks, check-in stored"));
        var row = Assert.Single(await CheckInRowsAsync());
        Assert.Equal(CheckInStatus.Answered, row.Status);
        Assert.Equal(useCaseId, row.UseCaseId);
        Assert.Equal(owner.GetProperty("aadObjectId").GetString(), row.AnsweredBy);
        Assert.Equal(200, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
        var answerJsonBefore = row.AnswerJson;
        var auditBefore = (await AnswerAuditAsync()).Count;

        // 4. Another user clicks the card with different figures. The playground refuses to post an invoke for a user
        //    who is not a member of the chat, so the same invoke, from Megan Bowen, goes to the bot endpoint directly
        //    (as the playground would send it: its serviceUrl, conversation and replyToId).
        var viaPlayground = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, Answer(hidden, "5", "50"), card.MessageId, fromUserId: OtherUserId);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, viaPlayground.StatusCode);
        Assert.Contains("UserNotFound", viaPlayground.Body, StringComparison.Ordinal);
        var (strangerType, strangerValue) = await InvokeAsOtherUserAsync(Answer(hidden, activeUsers: "5", reworkPercent: "50"), card.MessageId);
        Assert.Equal("application/vnd.microsoft.activity.message", strangerType);
        Assert.Contains($"Only {owner.GetProperty("name").GetString()} or their delegate", strangerValue, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", strangerValue, StringComparison.Ordinal);
        var after = Assert.Single(await CheckInRowsAsync());
        Assert.Equal(answerJsonBefore, after.AnswerJson);
        Assert.Equal(owner.GetProperty("aadObjectId").GetString(), after.AnsweredBy);
        Assert.Equal(auditBefore, (await AnswerAuditAsync()).Count);
    }

    [Fact]
    public async Task AnsweringAgainStartsFromThisWeeksAnswerKeepsWhatWasNotChangedAndRefusesAnOldCard()
    {
        var owner = Playground.Config.GetProperty("currentUser");
        var useCaseId = await RegisterUseCaseAsync(AdminKey, "Playground triage", owner.GetProperty("aadObjectId").GetString()!, owner.GetProperty("name").GetString()!);
        await InstallPersonalAsync();

        // 1. Answer this week's card, with a win and a blocker.
        await Playground.SendTextAsync("checkin");
        var first = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage")))[0];
        var firstCard = CardOf(first);
        var firstAnswer = firstCard.Submit(CheckInCard.AnswerVerb, inputs =>
        {
            foreach (var (key, value) in CheckInInputs.Valid())
            {
                inputs[key] = value!;
            }

            inputs[AnswerFields.Win] = "Invoices cleared before the holiday";
            inputs[AnswerFields.ShareWin] = "true";
            inputs[AnswerFields.Blocker] = "Waiting for the ERP export";
        });
        var stored = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, firstAnswer, replyToId: first.MessageId);
        Assert.StartsWith("Thanks, check-in stored: Playground triage", CardOf(stored).Heading, StringComparison.Ordinal);
        var answered = AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync()).AnswerJson)!;

        // 2. "checkin" again: this week's card, prefilled with this week's answer, saying when it was given.
        await Playground.SendTextAsync("checkin");
        var again = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Answered on")))[0];
        Assert.NotEqual(first.MessageId, again.MessageId);
        var card = CardOf(again);
        Assert.Equal("200", card.Input(AnswerFields.Tasks).Value);
        Assert.Equal("Invoices cleared before the holiday", card.Input(AnswerFields.Win).Value);
        Assert.Equal("true", card.Input(AnswerFields.ShareWin).Value);
        Assert.Equal("Waiting for the ERP export", card.Input(AnswerFields.Blocker).Value);
        Assert.Contains(card.Texts(), t => t.StartsWith("Answered on ", StringComparison.Ordinal) && t.EndsWith(" by you.", StringComparison.Ordinal));

        // 3. Change one number and send: the rest, the win included, is kept.
        var updated = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb,
            card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "230"), replyToId: again.MessageId);
        Assert.StartsWith("Answer updated: Playground triage", CardOf(updated).Heading, StringComparison.Ordinal);
        var row = Assert.Single(await CheckInRowsAsync());
        Assert.Equal(AnswerJson.Serialize(answered with { Tasks = 230 }), row.AnswerJson);
        Assert.Equal("Invoices cleared before the holiday", AnswerJson.TryDeserialize(row.AnswerJson)!.Win);

        // 4. The first card's data sent again: refused with the current card; nothing stored.
        var auditBefore = (await AnswerAuditAsync()).Count;
        firstAnswer[AnswerFields.Tasks] = "999";
        var replayed = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, firstAnswer, replyToId: again.MessageId);
        var current = CardOf(replayed);
        Assert.Contains(current.Texts(), t => t.StartsWith("That card was out of date", StringComparison.Ordinal));
        Assert.Equal("230", current.Input(AnswerFields.Tasks).Value);
        Assert.Equal(row.AnswerJson, Assert.Single(await CheckInRowsAsync()).AnswerJson);
        Assert.Equal(auditBefore, (await AnswerAuditAsync()).Count);
        Assert.Equal(useCaseId, row.UseCaseId);
    }

    [Fact]
    public async Task SameAsLastWeekStoresInOneClickAndAnOwnerAnswersWithSourceAndConfidence()
    {
        var owner = Playground.Config.GetProperty("currentUser");
        var ownerId = owner.GetProperty("aadObjectId").GetString()!;
        var useCaseId = await RegisterUseCaseAsync(AdminKey, "Playground triage", ownerId, owner.GetProperty("name").GetString()!);
        var lastWeek = await Host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<UseCaseRegistry>().CurrentWeek.Previous()));
        var lastAnswer = AnswerValidator.Validate((await Host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().GetAsync(useCaseId, CancellationToken.None)))!.UseCase,
            CheckInInputs.Valid()).Answer!;
        await Host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCaseId, lastWeek, lastAnswer, ownerId, CancellationToken.None));
        await InstallPersonalAsync();

        // 1. "Same as last week": one click, stored.
        await Playground.SendTextAsync("checkin");
        var card = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage")))[0];
        var reader = CardOf(card);
        var same = await Playground.ExecuteActionAsync(CheckInCard.NothingChangedVerb, reader.Data(CheckInCard.NothingChangedVerb), replyToId: card.MessageId);
        var receipt = CardOf(same);
        Assert.StartsWith("Same as last week: stored: Playground triage", receipt.Heading, StringComparison.Ordinal);
        var thisWeek = Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek);
        Assert.Equal(AnswerJson.Serialize(lastAnswer), thisWeek.AnswerJson);

        // 2. "Edit this week" on the receipt, then the owner grades the minutes saved as measured with high confidence.
        var edit = await Playground.ExecuteActionAsync(CheckInCard.EditVerb, receipt.Data(CheckInCard.EditVerb), replyToId: card.MessageId);
        var editCard = CardOf(edit);
        Assert.Equal("estimated", editCard.Input(AnswerFields.MinutesSavedSource).Value);
        var graded = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, editCard.Submit(CheckInCard.AnswerVerb, inputs =>
        {
            inputs[AnswerFields.MinutesSavedSource] = "measured";
            inputs[AnswerFields.MinutesSavedConfidence] = "high";
            inputs[AnswerFields.FreedTime] = "redeployed";
        }), replyToId: card.MessageId);
        var again = CardOf(graded);
        Assert.StartsWith("Answer updated: Playground triage", again.Heading, StringComparison.Ordinal);
        Assert.Equal(["Gross value", "Absorption cost", "Net value, raw", "Net value, risk-adjusted"], again.Facts().Select(f => f.Title));
        // Measured with high confidence: nothing is discounted, so the risk-adjusted net is the raw net (the changes in
        // brackets differ: last week's minutes were estimated).
        Assert.Equal(again.Fact("Net value, raw").Split(" (")[0], again.Fact("Net value, risk-adjusted").Split(" (")[0]);
        var stored = AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek).AnswerJson)!;
        Assert.Equal(new Domain.Evidence.EvidenceGrade(Domain.Evidence.EvidenceSource.Measured, Domain.Evidence.EvidenceConfidence.High), stored.MinutesSavedEvidence);
        Assert.Equal(Domain.Evidence.FreedTime.Redeployed, stored.FreedTime);

        // 3. An implausible answer (more active users than the 100 targeted) asks to be confirmed before it is stored.
        var editAgain = await Playground.ExecuteActionAsync(CheckInCard.EditVerb, again.Data(CheckInCard.EditVerb), replyToId: card.MessageId);
        var unusual = CardOf(editAgain)
            .Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.ActiveUsers] = "140");
        var asked = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, unusual, replyToId: card.MessageId);
        var askedCard = CardOf(asked);
        Assert.Contains(askedCard.Texts(), t => t.StartsWith("These numbers look unusual", StringComparison.Ordinal));
        Assert.Equal(50, AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek).AnswerJson)!.ActiveUsers);
        Assert.Equal("140", askedCard.Input(AnswerFields.ActiveUsers).Value);
        var confirmed = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, askedCard.Submit(CheckInCard.AnswerVerb, CheckInCard.ConfirmTitle), replyToId: card.MessageId);
        Assert.Contains(CardOf(confirmed).Texts(), t => t.Contains("Unconfirmed outlier", StringComparison.Ordinal));
        var outlier = AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek).AnswerJson)!;
        Assert.Equal(140, outlier.ActiveUsers);
        Assert.Equal(Domain.Evidence.Outlier.MoreUsersThanTarget, Assert.Single(outlier.Outliers).Code);
    }

    /// <summary>What the client sends on "Send check-in": the hidden data with the inputs merged in.</summary>
    private static JsonObject Answer(JsonObject hidden, string? activeUsers, string reworkPercent)
    {
        var data = hidden.DeepClone().AsObject();
        var inputs = CheckInInputs.Valid();
        inputs[AnswerFields.ActiveUsers] = activeUsers;
        inputs[AnswerFields.ReworkPercent] = reworkPercent;
        foreach (var (key, value) in inputs)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        return data;
    }

    /// <summary>The invoke a click on the card produces, from Megan Bowen, posted to the bot as the playground posts it.</summary>
    private async Task<(string? Type, string Value)> InvokeAsOtherUserAsync(JsonObject data, string replyToId)
    {
        var activity = new JsonObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["id"] = Guid.NewGuid().ToString("D"),
            ["channelId"] = "msteams",
            ["serviceUrl"] = Playground.ServiceUrl,
            ["replyToId"] = replyToId,
            ["from"] = new JsonObject { ["id"] = OtherUserId, ["aadObjectId"] = OtherUserAadObjectId, ["name"] = "Megan Bowen" },
            ["recipient"] = new JsonObject { ["id"] = Playground.BotId, ["name"] = Playground.BotName },
            ["conversation"] = new JsonObject
            {
                ["id"] = Playground.PersonalConversationId, ["conversationType"] = "personal", ["tenantId"] = Playground.TenantId,
            },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Playground.TenantId } },
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = CheckInCard.AnswerVerb, ["data"] = data.DeepClone() },
                ["trigger"] = "manual",
            },
        };
        using var response = await Host.Http.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        return (body["type"]?.GetValue<string>(), body["value"]?.ToJsonString() ?? "");
    }

    private Task<List<AuditEntry>> AnswerAuditAsync() =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == CheckInStore.AuditEntity).ToListAsync());
}
