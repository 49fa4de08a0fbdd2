using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Admin;
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
        var useCaseId = await RegisterUseCaseAsync(owner.GetProperty("aadObjectId").GetString()!, owner.GetProperty("name").GetString()!);
        await Playground.InstallPersonalAsync();
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("Welcome to ValueBot"));

        // 1. "checkin" → this week's card.
        await Playground.SendTextAsync("checkin");
        var card = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage")))[0];
        Assert.Equal(Playground.PersonalConversationId, card.ConversationId);
        var hidden = AnswerActionData(card);
        Assert.Equal(useCaseId.ToString("D"), hidden[CheckInCard.UseCaseIdKey]!.GetValue<string>());

        // 2. An invalid answer: the card comes back with the errors, and nothing is stored.
        var invalid = Answer(hidden, activeUsers: null, reworkPercent: "140");
        var refused = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, invalid, replyToId: card.MessageId);
        Assert.True(refused.IsSuccess, refused.Body);
        Assert.Equal(PlaygroundMessage.AdaptiveCardContentType, refused.Type);
        var errorCard = refused.Value!.Value.GetRawText();
        Assert.Contains("Nothing was stored", errorCard, StringComparison.Ordinal);
        Assert.Contains("Enter the number of active users this week", errorCard, StringComparison.Ordinal);
        Assert.Contains("The rework must be a percentage from 0 to 100.", errorCard, StringComparison.Ordinal);
        Assert.Empty(await CheckInRowsAsync());
        Assert.Empty(await AnswerAuditAsync());

        // 3. A valid answer: stored, and the receipt replaces the card.
        var stored = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, Answer(hidden, activeUsers: "80", reworkPercent: "10"), replyToId: card.MessageId);
        Assert.True(stored.IsSuccess, stored.Body);
        Assert.Equal(PlaygroundMessage.AdaptiveCardContentType, stored.Type);
        Assert.Contains("Thanks, check-in stored", stored.Value!.Value.GetRawText(), StringComparison.Ordinal);
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
        var useCaseId = await RegisterUseCaseAsync(owner.GetProperty("aadObjectId").GetString()!, owner.GetProperty("name").GetString()!);
        await Playground.InstallPersonalAsync();
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("Welcome to ValueBot"));

        // 1. Answer this week's card, with a win and a blocker.
        await Playground.SendTextAsync("checkin");
        var first = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage")))[0];
        var firstCard = new CardReader(JsonNode.Parse(first.AdaptiveCards.First().GetRawText())!);
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
        Assert.True(stored.IsSuccess, stored.Body);
        Assert.Contains("Thanks, check-in stored", stored.Value!.Value.GetRawText(), StringComparison.Ordinal);
        var answered = AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync()).AnswerJson)!;

        // 2. "checkin" again: this week's card, prefilled with this week's answer, saying when it was given.
        await Playground.SendTextAsync("checkin");
        var again = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Answered on")))[0];
        Assert.NotEqual(first.MessageId, again.MessageId);
        var card = new CardReader(JsonNode.Parse(again.AdaptiveCards.First().GetRawText())!);
        var prefilled = card.Inputs();
        Assert.Equal("200", prefilled[AnswerFields.Tasks]);
        Assert.Equal("Invoices cleared before the holiday", prefilled[AnswerFields.Win]);
        Assert.Equal("true", prefilled[AnswerFields.ShareWin]);
        Assert.Equal("Waiting for the ERP export", prefilled[AnswerFields.Blocker]);
        Assert.Contains(card.Texts(), t => t.StartsWith("Answered on ", StringComparison.Ordinal) && t.EndsWith(" by you.", StringComparison.Ordinal));

        // 3. Change one number and send: the rest, the win included, is kept.
        var updated = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb,
            card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "230"), replyToId: again.MessageId);
        Assert.True(updated.IsSuccess, updated.Body);
        Assert.Contains("Answer updated", updated.Value!.Value.GetRawText(), StringComparison.Ordinal);
        var row = Assert.Single(await CheckInRowsAsync());
        Assert.Equal(AnswerJson.Serialize(answered with { Tasks = 230 }), row.AnswerJson);
        Assert.Equal("Invoices cleared before the holiday", AnswerJson.TryDeserialize(row.AnswerJson)!.Win);

        // 4. The first card's data sent again: refused with the current card; nothing stored.
        var auditBefore = (await AnswerAuditAsync()).Count;
        firstAnswer[AnswerFields.Tasks] = "999";
        var replayed = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, firstAnswer, replyToId: again.MessageId);
        Assert.True(replayed.IsSuccess, replayed.Body);
        Assert.Equal(PlaygroundMessage.AdaptiveCardContentType, replayed.Type);
        var current = new CardReader(JsonNode.Parse(replayed.Value!.Value.GetRawText())!);
        Assert.Contains(current.Texts(), t => t.StartsWith("That card was out of date", StringComparison.Ordinal));
        Assert.Equal("230", current.Inputs()[AnswerFields.Tasks]);
        Assert.Equal(row.AnswerJson, Assert.Single(await CheckInRowsAsync()).AnswerJson);
        Assert.Equal(auditBefore, (await AnswerAuditAsync()).Count);
        Assert.Equal(useCaseId, row.UseCaseId);
    }

    [Fact]
    public async Task SameAsLastWeekStoresInOneClickAndAnOwnerAnswersWithSourceAndConfidence()
    {
        var owner = Playground.Config.GetProperty("currentUser");
        var ownerId = owner.GetProperty("aadObjectId").GetString()!;
        var useCaseId = await RegisterUseCaseAsync(ownerId, owner.GetProperty("name").GetString()!);
        var lastWeek = await Host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<UseCaseRegistry>().CurrentWeek.Previous()));
        var lastAnswer = AnswerValidator.Validate((await Host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().GetAsync(useCaseId, CancellationToken.None)))!.UseCase,
            CheckInInputs.Valid()).Answer!;
        await Host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCaseId, lastWeek, lastAnswer, ownerId, CancellationToken.None));
        await Playground.InstallPersonalAsync();
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("Welcome to ValueBot"));

        // 1. "Same as last week": one click, stored.
        await Playground.SendTextAsync("checkin");
        var card = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage")))[0];
        var reader = new CardReader(JsonNode.Parse(card.AdaptiveCards.First().GetRawText())!);
        var same = await Playground.ExecuteActionAsync(CheckInCard.NothingChangedVerb, reader.Data(CheckInCard.NothingChangedVerb), replyToId: card.MessageId);
        Assert.True(same.IsSuccess, same.Body);
        Assert.Contains("Same as last week: stored", same.Value!.Value.GetRawText(), StringComparison.Ordinal);
        var thisWeek = Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek);
        Assert.Equal(AnswerJson.Serialize(lastAnswer), thisWeek.AnswerJson);

        // 2. "Edit this week" on the receipt, then the owner grades the minutes saved as measured with high confidence.
        var receipt = new CardReader(JsonNode.Parse(same.Value!.Value.GetRawText())!);
        var edit = await Playground.ExecuteActionAsync(CheckInCard.EditVerb, receipt.Data(CheckInCard.EditVerb), replyToId: card.MessageId);
        Assert.True(edit.IsSuccess, edit.Body);
        var editCard = new CardReader(JsonNode.Parse(edit.Value!.Value.GetRawText())!);
        Assert.Equal("estimated", editCard.Inputs()[AnswerFields.MinutesSavedSource]);
        var graded = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, editCard.Submit(CheckInCard.AnswerVerb, inputs =>
        {
            inputs[AnswerFields.MinutesSavedSource] = "measured";
            inputs[AnswerFields.MinutesSavedConfidence] = "high";
            inputs[AnswerFields.FreedTime] = "redeployed";
        }), replyToId: card.MessageId);
        Assert.True(graded.IsSuccess, graded.Body);
        var gradedReceipt = graded.Value!.Value.GetRawText();
        Assert.Contains("Answer updated", gradedReceipt, StringComparison.Ordinal);
        Assert.Contains("Net value, raw", gradedReceipt, StringComparison.Ordinal);
        Assert.Contains("Net value, risk-adjusted", gradedReceipt, StringComparison.Ordinal);
        var stored = AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek).AnswerJson)!;
        Assert.Equal(new Domain.Evidence.EvidenceGrade(Domain.Evidence.EvidenceSource.Measured, Domain.Evidence.EvidenceConfidence.High), stored.MinutesSavedEvidence);
        Assert.Equal(Domain.Evidence.FreedTime.Redeployed, stored.FreedTime);

        // 3. An implausible answer (more active users than the 100 targeted) asks to be confirmed before it is stored.
        var again = new CardReader(JsonNode.Parse(graded.Value!.Value.GetRawText())!);
        var editAgain = await Playground.ExecuteActionAsync(CheckInCard.EditVerb, again.Data(CheckInCard.EditVerb), replyToId: card.MessageId);
        var unusual = new CardReader(JsonNode.Parse(editAgain.Value!.Value.GetRawText())!)
            .Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.ActiveUsers] = "140");
        var asked = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, unusual, replyToId: card.MessageId);
        var askedCard = new CardReader(JsonNode.Parse(asked.Value!.Value.GetRawText())!);
        Assert.Contains(askedCard.Texts(), t => t.StartsWith("These numbers look unusual", StringComparison.Ordinal));
        Assert.Equal(50, AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek).AnswerJson)!.ActiveUsers);
        var confirmData = askedCard.Inputs();
        var confirmed = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, ConfirmClick(askedCard), replyToId: card.MessageId);
        Assert.Contains("Unconfirmed outlier", confirmed.Value!.Value.GetRawText(), StringComparison.Ordinal);
        var outlier = AnswerJson.TryDeserialize(Assert.Single(await CheckInRowsAsync(), r => r.Week != lastWeek).AnswerJson)!;
        Assert.Equal(140, outlier.ActiveUsers);
        Assert.Equal(Domain.Evidence.Outlier.MoreUsersThanTarget, Assert.Single(outlier.Outliers).Code);
        Assert.Equal("140", confirmData[AnswerFields.ActiveUsers]);
    }

    /// <summary>A click on "Confirm and send": that action's data (it carries the confirmation) with the inputs merged in.</summary>
    private static JsonObject ConfirmClick(CardReader card)
    {
        var confirm = FindAction(card.Card, CheckInCard.AnswerVerb, CheckInCard.ConfirmTitle)!["data"]!.DeepClone().AsObject();
        foreach (var (key, value) in card.Inputs())
        {
            confirm[key] = value;
        }

        return confirm;
    }

    private static JsonNode? FindAction(JsonNode node, string verb, string title) => node switch
    {
        JsonObject o when o["type"]?.GetValueKind() == JsonValueKind.String && o["type"]!.GetValue<string>() == "Action.Execute"
            && o["verb"]?.GetValue<string>() == verb && o["title"]?.GetValue<string>() == title => o,
        JsonObject o => o.Select(p => p.Value is null ? null : FindAction(p.Value, verb, title)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(e => e is null ? null : FindAction(e, verb, title)).FirstOrDefault(f => f is not null),
        _ => null,
    };

    private async Task<Guid> RegisterUseCaseAsync(string ownerAadObjectId, string ownerName)
    {
        var body = AdminClient.ValidUseCase("Playground triage");
        body["owner"] = new JsonObject { ["aadObjectId"] = ownerAadObjectId, ["displayName"] = ownerName };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/use-cases") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-ValueBot-Admin-Key", AdminKey);
        using var response = await Host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    /// <summary>The hidden data of the card's "Send check-in" Action.Execute (use case and week).</summary>
    private static JsonObject AnswerActionData(PlaygroundMessage card)
    {
        var action = FindAction(JsonNode.Parse(card.AdaptiveCards.First().GetRawText())!, CheckInCard.AnswerVerb)
            ?? throw new InvalidOperationException("The card has no Send check-in action: " + card.Raw.GetRawText());
        return action["data"]!.AsObject();
    }

    private static JsonNode? FindAction(JsonNode node, string verb)
    {
        switch (node)
        {
            case JsonObject o when o["type"]?.GetValueKind() == JsonValueKind.String && o["type"]!.GetValue<string>() == "Action.Execute"
                && o["verb"]?.GetValue<string>() == verb:
                return o;
            case JsonObject o:
                return o.Select(p => p.Value is null ? null : FindAction(p.Value, verb)).FirstOrDefault(f => f is not null);
            case JsonArray a:
                return a.Select(e => e is null ? null : FindAction(e, verb)).FirstOrDefault(f => f is not null);
            default:
                return null;
        }
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

    private Task<List<CheckIn>> CheckInRowsAsync() =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().ToListAsync());

    private Task<List<AuditEntry>> AnswerAuditAsync() =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == CheckInStore.AuditEntity).ToListAsync());
}
