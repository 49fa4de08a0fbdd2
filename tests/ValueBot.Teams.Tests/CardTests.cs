using System.Text.Json.Nodes;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests;

public sealed class CardTests
{
    private static string Schema => RepositoryPaths.AdaptiveCardSchema;

    private static AdaptiveCard CheckInCard() => new AdaptiveCard
    {
        Body =
        [
            new TextBlock("Monthly check-in: Invoice matching") { Size = "Large", Weight = "Bolder" },
            new FactSet { Facts = [new Fact("Owner", "Ada"), new Fact("Net value", "€12,500")] },
            new TextInput { Id = "note", Label = "What changed?", IsMultiline = true, MaxLength = 500, Placeholder = "Optional" },
            new NumberInput { Id = "hoursSaved", Label = "Hours saved", Min = 0, Max = 10000, IsRequired = true, ErrorMessage = "Enter a number" },
            new ChoiceSetInput
            {
                Id = "status", Label = "Status", Style = "expanded", Value = "on-track",
                Choices = [new Choice("On track", "on-track"), new Choice("At risk", "at-risk")],
            },
            new ToggleInput { Id = "stop", Title = "Propose stopping", ValueOn = "true", ValueOff = "false" },
            new DateInput { Id = "due", Label = "Next review", Min = "2026-01-01" },
            new ActionSet
            {
                Actions = [new ExecuteAction("Submit", "checkin.submit", new JsonObject { ["useCaseId"] = "uc-1" }) { Style = "positive" }.WithSubmitFallback()],
            },
        ],
    };

    private static AdaptiveCard LayoutCard() => new AdaptiveCard
    {
        FallbackText = "Digest",
        Refresh = new CardRefresh { Action = new ExecuteAction("Refresh", "digest.refresh"), UserIds = [] },
        Body =
        [
            new Container
            {
                Style = "emphasis",
                Items = [new RichTextBlock { Inlines = [new TextRun("Net value ") { Weight = "Bolder" }, new TextRun("this month") { Italic = true }] }],
                SelectAction = new OpenUrlAction("Open", "https://example.com/digest"),
            },
            new ColumnSet
            {
                Columns =
                [
                    new Column { Width = "auto", Items = [new Image { Url = "https://example.com/a.png", AltText = "logo", Size = "Small" }] },
                    new Column { Width = "stretch", Items = [new TextBlock("3 use cases") { IsSubtle = true, Spacing = "None" }] },
                ],
            },
        ],
        Actions =
        [
            new OpenUrlAction("Open dashboard", "https://example.com/"),
            new ShowCardAction { Title = "Details", Card = new AdaptiveCard { Version = null, Schema = null }.Add(new TextBlock("More")) },
            new ExecuteAction("Archive", "digest.archive") { Mode = "secondary", Tooltip = "Archive this digest" },
        ],
    };

    [Fact]
    public void CheckInCardValidatesAgainstTheAdaptiveCard15Schema() => SchemaValidator.AssertValid(Schema, CheckInCard().ToJson());

    [Fact]
    public void LayoutCardValidatesAgainstTheAdaptiveCard15Schema() => SchemaValidator.AssertValid(Schema, LayoutCard().ToJson());

    [Fact]
    public void CardWithTeamsExtensionsValidatesOnceTheTeamsRootMemberIsSetAside()
    {
        var owner = new Mention("29:owner", "Grace");
        var card = new AdaptiveCard().Add(new TextBlock($"Owner: {owner.Text}")).AddMention(owner).WithFullWidth();
        var json = JsonNode.Parse(card.ToJson())!.AsObject();

        // The published 1.5 schema forbids unknown root members, so it cannot describe Teams' msteams object.
        var msteams = json["msteams"]!;
        json.Remove("msteams");
        SchemaValidator.AssertValid(Schema, json.ToJsonString());

        Assert.Equal("Full", msteams["width"]!.GetValue<string>());
        var entity = msteams["entities"]![0]!;
        Assert.Equal("mention", entity["type"]!.GetValue<string>());
        Assert.Equal("<at>Grace</at>", entity["text"]!.GetValue<string>());
        Assert.Equal("29:owner", entity["mentioned"]!["id"]!.GetValue<string>());
        Assert.Contains(entity["text"]!.GetValue<string>(), json["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void DeliberatelyWrongCardFailsValidation()
    {
        var json = JsonNode.Parse(CheckInCard().ToJson())!.AsObject();
        json["body"]![0]!["size"] = "Gigantic";
        json["body"]!.AsArray().Add(new JsonObject { ["type"] = "Input.Slider", ["id"] = "x" });

        var result = SchemaValidator.Validate(Schema, [json.ToJsonString()])[0];

        Assert.False(result.Valid);
    }

    [Fact]
    public void FallbackWrittenAsTheStringActionSubmitIsNotSchemaValid()
    {
        // Why ExecuteAction.WithSubmitFallback writes an action object rather than Teams docs' "Action.Submit" string.
        var json = JsonNode.Parse(CheckInCard().ToJson())!.AsObject();
        json["body"]![7]!["actions"]![0]!["fallback"] = "Action.Submit";

        Assert.False(SchemaValidator.Validate(Schema, [json.ToJsonString()])[0].Valid);
    }

    [Fact]
    public void SerializesWithTypeDiscriminatorsVersionAndWithoutNulls()
    {
        var json = JsonNode.Parse(CheckInCard().ToJson())!;

        Assert.Equal("AdaptiveCard", json["type"]!.GetValue<string>());
        Assert.Equal("1.5", json["version"]!.GetValue<string>());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", json["$schema"]!.GetValue<string>());
        Assert.Equal("TextBlock", json["body"]![0]!["type"]!.GetValue<string>());
        Assert.Null(json["actions"]);
        Assert.DoesNotContain("null", CheckInCard().ToJson());
    }

    [Fact]
    public void ExecuteActionCarriesTheVerbInsideDataAndInItsSubmitFallback()
    {
        var json = JsonNode.Parse(CheckInCard().ToJson())!;
        var execute = json["body"]![7]!["actions"]![0]!;

        Assert.Equal("Action.Execute", execute["type"]!.GetValue<string>());
        Assert.Equal("checkin.submit", execute["verb"]!.GetValue<string>());
        Assert.Equal("checkin.submit", execute["data"]!["verb"]!.GetValue<string>());
        Assert.Equal("uc-1", execute["data"]!["useCaseId"]!.GetValue<string>());
        Assert.Equal("Action.Submit", execute["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal("checkin.submit", execute["fallback"]!["data"]!["verb"]!.GetValue<string>());
        Assert.Equal("Submit", execute["fallback"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public void AttachmentAndSize()
    {
        var card = CheckInCard();

        var message = Activity.CreateCardMessage(card);

        var attachment = Assert.Single(message.Attachments!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        Assert.Equal("AdaptiveCard", attachment.Content!.Value.GetProperty("type").GetString());
        Assert.Equal(card.ToJson().Length * 2, card.SizeInBytes());
        Assert.InRange(card.SizeInBytes(), 1, 80 * 1024);
    }
}
