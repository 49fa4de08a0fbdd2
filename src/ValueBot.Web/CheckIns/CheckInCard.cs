using System.Globalization;
using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;
using ValueBot.Teams.Cards;

namespace ValueBot.Web.CheckIns;

/// <summary>A week's stored answer as the card shows it: the answer and a line saying when (and by whom) it was given.</summary>
public sealed record AnsweredWeek(StoredAnswer Stored, string Summary);

/// <summary>
/// The weekly check-in card (the DOMAIN.md questions plus the value model's own), and the receipt that replaces it.
/// Used by the <c>checkin</c> command and by the scheduled weekly send.
/// </summary>
public static class CheckInCard
{
    public const string AnswerVerb = "checkin.answer";
    public const string NothingChangedVerb = "checkin.nothingChanged";
    public const string SkipVerb = "checkin.skip";
    public const string HandToDelegateVerb = "checkin.handToDelegate";

    /// <summary>Keys of the hidden data every check-in action carries.</summary>
    public const string UseCaseIdKey = "useCaseId";
    public const string WeekKey = "week";

    /// <summary>
    /// The revision of the week's answer the card was built from (0: none yet). A submission carrying an older one is
    /// refused, so an old card never overwrites a newer answer. Cards from before revisions existed carry none: read as 0.
    /// </summary>
    public const string RevisionKey = "revision";

    /// <summary>
    /// The card for <paramref name="week"/>: prefilled with <paramref name="answered"/> (this week's stored answer, every
    /// field, and when and by whom it was given) when the week is answered, else with <paramref name="previousAnswer"/>
    /// (last week's values). With <paramref name="errors"/>, each message is shown under its field and
    /// <paramref name="submitted"/> values are kept.
    /// </summary>
    public static AdaptiveCard Build(
        UseCase useCase,
        IsoWeek week,
        Answer? previousAnswer,
        IReadOnlyList<FieldError>? errors = null,
        IReadOnlyDictionary<string, string?>? submitted = null,
        string? banner = null,
        AnsweredWeek? answered = null)
    {
        var values = submitted?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            ?? (answered is not null
                ? AnswerFields.ToStoredFormValues(answered.Stored.Answer, useCase.ValueModel).ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal)
                : previousAnswer is null
                    ? new Dictionary<string, string?>(StringComparer.Ordinal)
                    : AnswerFields.ToFormValues(previousAnswer, useCase.ValueModel).ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal));
        var errorsByField = (errors ?? []).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message)), StringComparer.Ordinal);
        var currency = useCase.Currency;

        var card = new AdaptiveCard { FallbackText = $"Weekly check-in for {CardText.Clean(useCase.Name)}, week {week}" };
        card.Add(new TextBlock($"Weekly check-in: {CardText.Escape(useCase.Name)}") { Size = "Medium", Weight = "Bolder" });
        card.Add(new TextBlock($"Week {week} ({week.Start:d MMM} – {week.End:d MMM yyyy}). About a minute; "
            + (answered is not null ? "this week's stored answer is filled in, change what moved and send it again."
                : previousAnswer is null ? "enter this week's figures." : "last week's values are filled in, change what moved.")) { IsSubtle = true });
        if (answered is not null)
        {
            card.Add(new TextBlock(answered.Summary) { Weight = "Bolder", Spacing = "Small" });
        }
        if (banner is not null)
        {
            card.Add(new TextBlock(banner) { Color = "Warning", Weight = "Bolder" });
        }
        if (errorsByField.Count > 0)
        {
            card.Add(new TextBlock(errorsByField.Count == 1
                ? "One answer needs fixing before I can store the check-in (see below). Nothing was stored."
                : $"{errorsByField.Count} answers need fixing before I can store the check-in (see below). Nothing was stored.")
            { Color = "Attention", Weight = "Bolder" });
        }

        void Field(CardInput input)
        {
            card.Add(input);
            if (input.Id is { } id && errorsByField.TryGetValue(id, out var message))
            {
                input.ErrorMessage = message;
                card.Add(new TextBlock(CardText.Escape(message)) { Color = "Attention", Spacing = "None", Size = "Small" });
            }
        }

        Field(Number(AnswerFields.ActiveUsers, $"Active users this week (of {useCase.TargetUsers} target users)", values, max: null));
        Field(Number(AnswerFields.Tasks, "Tasks handled with AI this week", values));
        Field(Number(AnswerFields.MinutesSavedPerTask, "Minutes saved per task, as seen in production", values));
        Field(Number(AnswerFields.ReworkPercent, "Rework: share of AI outputs that needed human correction (%)", values, max: 100m));
        Field(Number(AnswerFields.MinutesPerCorrection, "Minutes spent per correction", values));
        Field(Number(AnswerFields.Exceptions, "Exceptions: cases that needed a manual workaround or escalation", values));
        Field(Number(AnswerFields.QualityIncidents, "Quality incidents", values));
        Field(Text(AnswerFields.QualityIncidentNote, "What went wrong (if there were incidents)", values));
        Field(Toggle(AnswerFields.ModelChanged, "The model, prompt or configuration changed this week", values));
        Field(Text(AnswerFields.ModelChangeNote, "What changed (optional)", values));
        Field(Number(AnswerFields.RunCostLicences, $"Run cost this week: licences and tokens ({currency})", values));
        Field(Number(AnswerFields.RunCostSupport, $"Run cost this week: support ({currency})", values));
        Field(Number(AnswerFields.RunCostIntegration, $"Run cost this week: integration and maintenance ({currency})", values));
        Field(Choices(AnswerFields.BacklogShrinking, "Is the backlog or workload shrinking?", values, "notMeasured",
            ("Yes", "yes"), ("No", "no"), ("Not measured", "notMeasured")));
        Field(Text(AnswerFields.Win, "A win worth sharing (optional)", values, multiline: true));
        Field(Toggle(AnswerFields.ShareWin, "Share this win with leadership", values));
        Field(Text(AnswerFields.Blocker, "A blocker, or help you need (optional)", values, multiline: true));
        Field(Choices(AnswerFields.OwnersCall, "Your call", values, "onTrack",
            ("On track", "onTrack"), ("At risk", "atRisk"), ("Off track", "offTrack")));
        Field(Toggle(AnswerFields.ProposeStop, "I propose stopping this use case", values));

        var modelQuestions = ModelQuestions.For(useCase.ValueModel);
        if (modelQuestions.Count > 0)
        {
            card.Add(new TextBlock("For this value model (optional)") { Weight = "Bolder", Separator = true });
            foreach (var question in modelQuestions)
            {
                var id = AnswerFields.Model(question.Key);
                Field(question.Kind == ModelQuestionKind.Text
                    ? Text(id, question.Label, values)
                    : Number(id, question.Label, values, max: question.Kind == ModelQuestionKind.Percent ? 100m : null));
            }
        }

        var data = new JsonObject
        {
            [UseCaseIdKey] = useCase.Id.ToString("D"), [WeekKey] = week.ToString(), [RevisionKey] = answered?.Stored.Revision ?? 0,
        };
        card.AddAction(new ExecuteAction(answered is null ? "Send check-in" : "Send changes", AnswerVerb, Clone(data)) { Style = "positive" }.WithSubmitFallback());
        // Once the week is answered, "nothing changed" would only repeat last week over this week's own answer.
        if (previousAnswer is not null && answered is null)
        {
            card.AddAction(new ExecuteAction("Nothing changed", NothingChangedVerb, Clone(data)) { AssociatedInputs = "none" }.WithSubmitFallback());
        }

        if (answered is null)
        {
            card.AddAction(new ExecuteAction("Skip this week", SkipVerb, Clone(data)) { AssociatedInputs = "none" }.WithSubmitFallback());
        }

        if (useCase.Delegate is not null)
        {
            card.AddAction(new ExecuteAction("Hand this week to my delegate", HandToDelegateVerb, Clone(data)) { AssociatedInputs = "none" }.WithSubmitFallback());
        }

        return card;
    }

    /// <summary>What replaces the card once the week is answered: the three figures and any breach or warning.</summary>
    public static AdaptiveCard Receipt(UseCase useCase, WeeklyMetrics metrics, string headline, IReadOnlyList<Warning> warnings, StopLossThresholds thresholds)
    {
        var card = new AdaptiveCard { FallbackText = $"{CardText.Clean(useCase.Name)}, week {metrics.Week}: net value {metrics.NetValue}" };
        card.Add(new TextBlock($"{headline}: {CardText.Escape(useCase.Name)}, week {metrics.Week}") { Size = "Medium", Weight = "Bolder" });
        card.Add(Figures(metrics));
        AddWarnings(card, metrics, warnings, thresholds);
        return card;
    }

    /// <summary>A short card that replaces the check-in when nothing needs to be shown but a sentence.</summary>
    public static AdaptiveCard Notice(string title, string text)
    {
        var card = new AdaptiveCard { FallbackText = text };
        card.Add(new TextBlock(title) { Weight = "Bolder" });
        card.Add(new TextBlock(text));
        return card;
    }

    /// <summary>Gross value, absorption cost and net value, always side by side.</summary>
    public static FactSet Figures(WeeklyMetrics metrics) => new()
    {
        Facts =
        {
            new Fact("Gross value", metrics.GrossValue.ToString()),
            new Fact("Absorption cost", metrics.AbsorptionCost.ToString()),
            new Fact("Net value", metrics.NetValue.ToString()),
        },
    };

    /// <summary>The stop-loss breach of the week (with its reasons) and the other early warnings.</summary>
    /// <summary>The breaches against the use case's effective thresholds (organisation's ⊕ its own), then the other warnings.</summary>
    public static void AddWarnings(AdaptiveCard card, WeeklyMetrics metrics, IReadOnlyList<Warning> warnings, StopLossThresholds thresholds)
    {
        foreach (var reason in StopLoss.Reasons(metrics, thresholds))
        {
            card.Add(new TextBlock($"Stop-loss breach: {CardText.Escape(reason)}.") { Color = "Attention", Weight = "Bolder" });
        }

        foreach (var warning in warnings.Where(w => w.RuleId != "stop-loss-breach"))
        {
            card.Add(new TextBlock($"{warning.Name}: {CardText.Escape(warning.Reason)}") { Color = "Warning" });
        }
    }

    private static JsonObject Clone(JsonObject data) => data.DeepClone().AsObject();

    private static NumberInput Number(string id, string label, IReadOnlyDictionary<string, string?> values, decimal? max = null) => new()
    {
        Id = id,
        Label = label,
        Min = 0m,
        Max = max,
        Value = values.TryGetValue(id, out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static TextInput Text(string id, string label, IReadOnlyDictionary<string, string?> values, bool multiline = false) => new()
    {
        Id = id,
        Label = label,
        IsMultiline = multiline ? true : null,
        MaxLength = AnswerValidator.MaxTextLength,
        Value = values.TryGetValue(id, out var text) && !string.IsNullOrEmpty(text) ? text : null,
    };

    private static ToggleInput Toggle(string id, string title, IReadOnlyDictionary<string, string?> values) => new()
    {
        Id = id,
        Title = title,
        ValueOn = "true",
        ValueOff = "false",
        Value = values.TryGetValue(id, out var text) && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false",
    };

    private static ChoiceSetInput Choices(string id, string label, IReadOnlyDictionary<string, string?> values, string fallback, params (string Title, string Value)[] choices)
    {
        var input = new ChoiceSetInput
        {
            Id = id,
            Label = label,
            Style = "expanded",
            Value = values.TryGetValue(id, out var text) && choices.Any(c => c.Value == text) ? text : fallback,
        };
        foreach (var (title, value) in choices)
        {
            input.Choices.Add(new Choice(title, value));
        }

        return input;
    }
}
