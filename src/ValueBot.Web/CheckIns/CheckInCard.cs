using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;
using ValueBot.Teams.Cards;

namespace ValueBot.Web.CheckIns;

/// <summary>A week's stored answer as the card shows it: the answer and a line saying when (and by whom) it was given.</summary>
public sealed record AnsweredWeek(StoredAnswer Stored, string Summary);

/// <summary>Which part of the check-in card is open when it arrives.</summary>
public enum CheckInView
{
    /// <summary>The first view when there is an earlier answer to repeat; else the update view.</summary>
    Auto,

    /// <summary>The week, last answer in one line, and Same as last week / Update numbers / Skip this week.</summary>
    First,

    /// <summary>The numbers, two to a row; the rest behind "More".</summary>
    Update,
}

/// <summary>Everything the receipt shows once a week is stored.</summary>
/// <param name="Headline">"Thanks, check-in stored", "Answer updated", …</param>
/// <param name="Metrics">The stored week's figures.</param>
/// <param name="Previous">The answered week before it, for week-over-week change; null when there is none.</param>
/// <param name="Recommendation">The stage-gate recommendation as of the stored week.</param>
/// <param name="WinPosting">When a win flagged for leadership will be posted; null when no win is flagged.</param>
/// <param name="CanEdit">The week is still open: the receipt offers "Edit this week".</param>
public sealed record CheckInReceipt(
    UseCase UseCase,
    string Headline,
    Answer Answer,
    WeeklyMetrics Metrics,
    WeeklyMetrics? Previous,
    IReadOnlyList<Warning> Warnings,
    StopLossThresholds Thresholds,
    StageRecommendation? Recommendation,
    string? WinPosting,
    int Revision,
    bool CanEdit);

/// <summary>
/// The weekly check-in card (the DOMAIN.md questions plus the value model's own), and the receipt that replaces it.
/// Used by the <c>checkin</c> command and by the scheduled weekly send.
/// <para>
/// One card, two views, switched on the client with Action.ToggleVisibility (no round trip, and it works on Teams
/// mobile, where Action.Execute falls back to Action.Submit): the first view is the week, the last answer in one line
/// and three buttons; the update view has the core numbers two to a row with their evidence, and the rest behind
/// "More". Buttons sit at most two to a row so that their titles are never cut at a chat's 420 px.
/// </para>
/// </summary>
public static class CheckInCard
{
    public const string AnswerVerb = "checkin.answer";

    /// <summary>"Same as last week": stores the latest earlier answer for this week, in one click.</summary>
    public const string NothingChangedVerb = "checkin.nothingChanged";
    public const string SkipVerb = "checkin.skip";
    public const string HandToDelegateVerb = "checkin.handToDelegate";

    /// <summary>"Edit this week" on the receipt: the card comes back in its update view, prefilled with the stored answer.</summary>
    public const string EditVerb = "checkin.edit";

    /// <summary>Keys of the hidden data every check-in action carries.</summary>
    public const string UseCaseIdKey = "useCaseId";
    public const string WeekKey = "week";

    /// <summary>
    /// The revision of the week's answer the card was built from (0: none yet). A submission carrying an older one is
    /// refused, so an old card never overwrites a newer answer. Cards from before revisions existed carry none: read as 0.
    /// </summary>
    public const string RevisionKey = "revision";

    /// <summary>Ids of the card's parts that the toggles show and hide.</summary>
    public const string FirstViewId = "checkin-first";
    public const string UpdateViewId = "checkin-update";
    public const string MoreId = "checkin-more";

    public const string SameAsLastWeekTitle = "Same as last week";
    public const string UpdateNumbersTitle = "Update numbers";
    public const string SkipTitle = "Skip this week";
    public const string MoreTitle = "More questions";
    public const string ConfirmTitle = "Confirm and send";

    /// <summary>The fields behind "More": everything but the core numbers and their evidence.</summary>
    private static readonly HashSet<string> MoreFields = new(StringComparer.Ordinal)
    {
        AnswerFields.QualityIncidents, AnswerFields.QualityIncidentNote, AnswerFields.ModelChanged, AnswerFields.ModelChangeNote,
        AnswerFields.BacklogShrinking, AnswerFields.FreedTime, AnswerFields.Win, AnswerFields.ShareWin, AnswerFields.Blocker,
        AnswerFields.OwnersCall, AnswerFields.ProposeStop,
    };

    /// <summary>
    /// The card for <paramref name="week"/>: prefilled with <paramref name="answered"/> (this week's stored answer, every
    /// field, and when and by whom it was given) when the week is answered, else with <paramref name="previousAnswer"/>
    /// (last week's values). With <paramref name="errors"/>, each message is shown under its field and
    /// <paramref name="submitted"/> values are kept. With <paramref name="outliers"/>, the submitted numbers are
    /// implausible: nothing was stored, and the card asks to confirm them.
    /// </summary>
    public static AdaptiveCard Build(
        UseCase useCase,
        IsoWeek week,
        Answer? previousAnswer,
        IReadOnlyList<FieldError>? errors = null,
        IReadOnlyDictionary<string, string?>? submitted = null,
        string? banner = null,
        AnsweredWeek? answered = null,
        CheckInView view = CheckInView.Auto,
        IReadOnlyList<Outlier>? outliers = null)
    {
        var values = submitted?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            ?? (answered is not null
                ? AnswerFields.ToStoredFormValues(answered.Stored.Answer, useCase.ValueModel).ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal)
                : previousAnswer is null
                    ? new Dictionary<string, string?>(StringComparer.Ordinal)
                    : AnswerFields.ToFormValues(previousAnswer, useCase.ValueModel).ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal));
        var errorsByField = (errors ?? []).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message)), StringComparer.Ordinal);
        var implausible = outliers is { Count: > 0 };
        // "Same as last week" only for an unanswered week with an earlier answer: over this week's own answer it would lose it.
        var canRepeat = previousAnswer is not null && answered is null;
        var first = view switch
        {
            CheckInView.First => canRepeat,
            CheckInView.Update => false,
            _ => canRepeat && errorsByField.Count == 0 && !implausible,
        };
        var moreOpen = errorsByField.Keys.Any(k => MoreFields.Contains(k) || k.StartsWith(AnswerFields.ModelPrefix, StringComparison.Ordinal));
        var currency = useCase.Currency;

        var card = new AdaptiveCard { FallbackText = $"Weekly check-in for {CardText.Clean(useCase.Name)}, week {week}" };
        card.Add(new TextBlock($"Weekly check-in: {CardText.Escape(useCase.Name)}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new TextBlock($"Week {week}, {week.Start:d MMM} – {week.End:d MMM yyyy}") { IsSubtle = true, Spacing = ElementSpacing.None });
        if (answered is not null)
        {
            card.Add(new TextBlock(answered.Summary) { Weight = TextWeight.Bolder, Spacing = ElementSpacing.Small });
        }

        if (banner is not null)
        {
            card.Add(new TextBlock(banner) { Color = TextColor.Warning, Weight = TextWeight.Bolder });
        }

        if (errorsByField.Count > 0)
        {
            card.Add(new TextBlock(errorsByField.Count == 1
                ? "One answer needs fixing before I can store the check-in (see below). Nothing was stored."
                : $"{errorsByField.Count} answers need fixing before I can store the check-in (see below). Nothing was stored.")
            { Color = TextColor.Attention, Weight = TextWeight.Bolder });
        }

        if (implausible)
        {
            var check = new Container { Style = ContainerStyle.Emphasis };
            check.Items.Add(new TextBlock("These numbers look unusual, so nothing was stored yet:") { Weight = TextWeight.Bolder, Color = TextColor.Warning });
            foreach (var outlier in outliers!)
            {
                check.Items.Add(new TextBlock("- " + CardText.Escape(outlier.Reason)) { Spacing = ElementSpacing.Small });
            }

            check.Items.Add(new TextBlock($"Correct them and send again, or \"{ConfirmTitle}\" if they are right: the week is then marked as an unconfirmed outlier.")
            { IsSubtle = true, Spacing = ElementSpacing.Small });
            card.Add(check);
        }

        var data = new JsonObject
        {
            [UseCaseIdKey] = useCase.Id.ToString("D"), [WeekKey] = week.ToString(), [RevisionKey] = answered?.Stored.Revision ?? 0,
        };

        if (canRepeat)
        {
            var firstView = new Container { Id = FirstViewId, IsVisible = first ? null : false };
            firstView.Items.Add(new TextBlock("Last answer: " + CardText.Escape(LastAnswerLine(useCase, previousAnswer!))) { Spacing = ElementSpacing.Small });
            var repeat = new ActionSet();
            repeat.Actions.Add(Execute(SameAsLastWeekTitle, NothingChangedVerb, data, withInputs: false, positive: true));
            if (useCase.Delegate is not null)
            {
                repeat.Actions.Add(Execute("Hand to delegate", HandToDelegateVerb, data, withInputs: false));
            }

            firstView.Items.Add(repeat);
            firstView.Items.Add(new ActionSet
            {
                Spacing = ElementSpacing.Small,
                Actions = { new ToggleVisibilityAction(UpdateNumbersTitle, FirstViewId, UpdateViewId), Execute(SkipTitle, SkipVerb, data, withInputs: false) },
            });
            card.Add(firstView);
        }

        var update = new Container { Id = UpdateViewId, IsVisible = first ? false : null, Spacing = first ? null : ElementSpacing.Medium };
        card.Add(update);
        var more = new Container { Id = MoreId, IsVisible = moreOpen ? null : false };

        void Field(Container into, CardInput input, bool required = false)
        {
            into.Items.Add(input);
            if (required)
            {
                input.IsRequired = true;
                input.ErrorMessage = RequiredMessage(input.Id!);
            }
            else if (input is NumberInput optional)
            {
                // The JS renderer (Teams desktop and web) reads an empty number as NaN, which fails any min or max and
                // would block sending the card: optional numbers carry no range; the server checks it.
                optional.Min = null;
                optional.Max = null;
            }

            if (input.Id is { } id && errorsByField.TryGetValue(id, out var message))
            {
                input.ErrorMessage = message;
                into.Items.Add(new TextBlock(CardText.Escape(message)) { Color = TextColor.Attention, Spacing = ElementSpacing.None, Size = TextSize.Small });
            }
        }

        void Pair(Container into, (CardInput Input, bool Required) left, (CardInput Input, bool Required)? right)
        {
            var l = new Container();
            Field(l, left.Input, left.Required);
            var r = new Container();
            if (right is { } rightField)
            {
                Field(r, rightField.Input, rightField.Required);
            }

            into.Items.Add(new ColumnSet
            {
                Spacing = ElementSpacing.Small,
                Columns =
                {
                    new Column { Width = ColumnWidth.Stretch, Items = { l } },
                    new Column { Width = ColumnWidth.Stretch, Items = { r } },
                },
            });
        }

        Pair(update,
            (Number(AnswerFields.ActiveUsers, $"Active users (of {useCase.TargetUsers})", values), true),
            (Number(AnswerFields.Tasks, "Tasks done with AI", values), true));
        Pair(update,
            (Number(AnswerFields.MinutesSavedPerTask, "Minutes saved per task", values), true),
            (Number(AnswerFields.ReworkPercent, "Rework (% corrected)", values, max: 100m), true));
        Pair(update,
            (Number(AnswerFields.MinutesPerCorrection, "Minutes per correction", values), false),
            (Number(AnswerFields.Exceptions, "Exceptions (manual)", values), true));
        Pair(update,
            (Number(AnswerFields.RunCostLicences, $"Licences, tokens ({currency})", values), false),
            (Number(AnswerFields.RunCostSupport, $"Support ({currency})", values), false));
        Pair(update,
            (Number(AnswerFields.RunCostIntegration, $"Integration ({currency})", values), false),
            null);
        Pair(update,
            (Compact(AnswerFields.MinutesSavedSource, "Minutes saved are", values, "estimated", Sources), false),
            (Compact(AnswerFields.MinutesSavedConfidence, "How sure", values, "medium", Confidences), false));
        Pair(update,
            (Compact(AnswerFields.ActiveUsersSource, "Active users are", values, "estimated", Sources), false),
            (Compact(AnswerFields.ActiveUsersConfidence, "How sure", values, "medium", Confidences), false));

        update.Items.Add(new ActionSet { Actions = { new ToggleVisibilityAction(MoreTitle, MoreId) } });
        update.Items.Add(more);
        Pair(more,
            (Number(AnswerFields.QualityIncidents, "Quality incidents", values), false),
            (Compact(AnswerFields.OwnersCall, "Your call", values, "onTrack", ("On track", "onTrack"), ("At risk", "atRisk"), ("Off track", "offTrack")), false));
        Field(more, Text(AnswerFields.QualityIncidentNote, "What went wrong (if there were incidents)", values));
        Field(more, Toggle(AnswerFields.ModelChanged, "The model, prompt or configuration changed this week", values));
        Field(more, Text(AnswerFields.ModelChangeNote, "What changed (optional)", values));
        Pair(more,
            (Compact(AnswerFields.BacklogShrinking, "Backlog shrinking?", values, "notMeasured", ("Yes", "yes"), ("No", "no"), ("Not measured", "notMeasured")), false),
            (Compact(AnswerFields.FreedTime, "Freed time went to", values, "notSaid",
                ("Not said", "notSaid"), ("Capacity (less overtime, backlog cut)", "capacity"), ("Other valued work", "redeployed"), ("Absorbed: nobody can say", "absorbed")), false));
        Field(more, Text(AnswerFields.Win, "A win worth sharing (optional)", values, multiline: true));
        Field(more, Toggle(AnswerFields.ShareWin, "Share this win with leadership", values));
        Field(more, Text(AnswerFields.Blocker, "A blocker, or help you need (optional)", values, multiline: true));
        Field(more, Toggle(AnswerFields.ProposeStop, "I propose stopping this use case", values));

        var modelQuestions = ModelQuestions.For(useCase.ValueModel);
        if (modelQuestions.Count > 0)
        {
            more.Items.Add(new TextBlock("For this value model (optional)") { Weight = TextWeight.Bolder, Separator = true });
            foreach (var question in modelQuestions)
            {
                var id = AnswerFields.Model(question.Key);
                Field(more, question.Kind == ModelQuestionKind.Text
                    ? Text(id, question.Label, values)
                    : Number(id, question.Label, values, max: question.Kind == ModelQuestionKind.Percent ? 100m : null));
            }
        }

        var send = new ActionSet { Spacing = ElementSpacing.Medium };
        if (implausible)
        {
            var confirmed = Clone(data);
            confirmed[AnswerFields.ConfirmOutlier] = "true";
            send.Actions.Add(Execute(ConfirmTitle, AnswerVerb, confirmed, withInputs: true, positive: true));
        }

        send.Actions.Add(Execute(answered is null ? "Send check-in" : "Send changes", AnswerVerb, data, withInputs: true, positive: !implausible));
        if (answered is null && !implausible)
        {
            send.Actions.Add(Execute(SkipTitle, SkipVerb, data, withInputs: false));
        }

        update.Items.Add(send);
        if (useCase.Delegate is not null && !(canRepeat && first))
        {
            update.Items.Add(new ActionSet { Spacing = ElementSpacing.Small, Actions = { Execute("Hand to delegate", HandToDelegateVerb, data, withInputs: false) } });
        }

        return card;
    }

    /// <summary>
    /// What replaces the card once the week is stored: the three figures with their change since the answered week
    /// before, the net value raw and risk-adjusted (labelled), any outlier, breach and warning, the recommendation
    /// with its reason, when a flagged win will be posted, and "Edit this week" while the week is open.
    /// </summary>
    public static AdaptiveCard Receipt(CheckInReceipt receipt)
    {
        var (useCase, metrics, previous) = (receipt.UseCase, receipt.Metrics, receipt.Previous);
        var card = new AdaptiveCard { FallbackText = $"{CardText.Clean(useCase.Name)}, week {metrics.Week}: net value {metrics.NetValue}" };
        card.Add(new TextBlock($"{receipt.Headline}: {CardText.Escape(useCase.Name)}, week {metrics.Week}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new TextBlock(previous is null
            ? "The first answered week: no change to show yet."
            : $"Change since {previous.Week} in brackets.") { IsSubtle = true, Spacing = ElementSpacing.None, Size = TextSize.Small });
        card.Add(new FactSet
        {
            Facts =
            {
                new Fact("Gross value", WithChange(metrics.GrossValue, previous?.GrossValue)),
                new Fact("Absorption cost", WithChange(metrics.AbsorptionCost, previous?.AbsorptionCost)),
                new Fact("Net value, raw", WithChange(metrics.NetValue, previous?.NetValue)),
                new Fact("Net value, risk-adjusted", WithChange(metrics.AdjustedNetValue, previous?.AdjustedNetValue)),
            },
        });
        card.Add(new TextBlock(
            $"Risk-adjusted: gross × {Domain.Common.Figures.Number(metrics.EvidenceFactor)} because the minutes saved are {receipt.Answer.MinutesSavedEvidence}; costs are never discounted.")
        { IsSubtle = true, Size = TextSize.Small, Spacing = ElementSpacing.Small });

        if (receipt.Answer.IsOutlier)
        {
            card.Add(new TextBlock("Unconfirmed outlier: " + CardText.Escape(string.Join(" ", receipt.Answer.Outliers.Select(o => o.Reason))))
            { Color = TextColor.Warning, Weight = TextWeight.Bolder });
        }

        AddWarnings(card, metrics, receipt.Warnings, receipt.Thresholds);
        if (receipt.Recommendation is { } recommendation)
        {
            card.Add(new TextBlock("Recommendation: " + CardText.Escape(recommendation.Headline)) { Weight = TextWeight.Bolder, Separator = true });
            if (recommendation.Reasons.Count > 0)
            {
                card.Add(new TextBlock("Why: " + CardText.Escape(string.Join(" ", recommendation.Reasons.Select(r => r.Text))))
                { IsSubtle = true, Spacing = ElementSpacing.Small });
            }
        }

        if (receipt.WinPosting is { } posting)
        {
            card.Add(new TextBlock(posting) { Color = TextColor.Good, Separator = receipt.Recommendation is null });
        }

        if (receipt.CanEdit)
        {
            var data = new JsonObject
            {
                [UseCaseIdKey] = useCase.Id.ToString("D"), [WeekKey] = metrics.Week.ToString(), [RevisionKey] = receipt.Revision,
            };
            card.AddAction(Execute("Edit this week", EditVerb, data, withInputs: false));
        }

        return card;
    }

    /// <summary>A short card that replaces the check-in when nothing needs to be shown but a sentence.</summary>
    public static AdaptiveCard Notice(string title, string text)
    {
        var card = new AdaptiveCard { FallbackText = text };
        card.Add(new TextBlock(title) { Weight = TextWeight.Bolder });
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

    /// <summary>The breaches against the use case's effective thresholds (organisation's ⊕ its own), then the other warnings.</summary>
    public static void AddWarnings(AdaptiveCard card, WeeklyMetrics metrics, IReadOnlyList<Warning> warnings, StopLossThresholds thresholds)
    {
        foreach (var reason in StopLoss.Reasons(metrics, thresholds))
        {
            card.Add(new TextBlock($"Stop-loss breach: {CardText.Escape(reason)}.") { Color = TextColor.Attention, Weight = TextWeight.Bolder });
        }

        foreach (var warning in warnings.Where(w => w.RuleId != "stop-loss-breach"))
        {
            card.Add(new TextBlock($"{warning.Name}: {CardText.Escape(warning.Reason)}") { Color = TextColor.Warning });
        }
    }

    /// <summary>The last answer in one line: "70 users · 180 tasks · 6 min saved/task · 10 % rework · 4 exceptions · 300.00 EUR run cost".</summary>
    public static string LastAnswerLine(UseCase useCase, Answer answer) => string.Join(" · ",
        $"{Domain.Common.Figures.Number(answer.ActiveUsers)} of {Domain.Common.Figures.Number(useCase.TargetUsers)} users",
        $"{Domain.Common.Figures.Number(answer.Tasks)} tasks",
        $"{Domain.Common.Figures.Number(answer.MinutesSavedPerTask)} min saved/task",
        $"{Domain.Common.Figures.Percent(answer.ReworkShare)} rework",
        $"{Domain.Common.Figures.Number(answer.Exceptions)} exceptions",
        $"{answer.RunCost.Total} run cost");

    /// <summary>"1,200.00 EUR (+120.00)"; without a week before, the figure alone.</summary>
    private static string WithChange(Money now, Money? before)
    {
        if (before is not { } b)
        {
            return now.ToString();
        }

        var change = (now - b).Amount;
        var sign = change > 0m ? "+" : change < 0m ? "−" : "±";
        return $"{now} ({sign}{Math.Abs(change).ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture)})";
    }

    private static string RequiredMessage(string field) => field switch
    {
        AnswerFields.ActiveUsers => "Enter the number of active users (0 if none).",
        AnswerFields.Tasks => "Enter the number of tasks done with AI (0 if none).",
        AnswerFields.MinutesSavedPerTask => "Enter the minutes saved per task (0 if none).",
        AnswerFields.ReworkPercent => "Enter the rework as a percentage from 0 to 100.",
        AnswerFields.Exceptions => "Enter the number of exceptions (0 if none).",
        _ => "Enter a value.",
    };

    private static readonly (string Title, string Value)[] Sources = [("Measured", "measured"), ("Estimated", "estimated"), ("Guessed", "guessed")];

    private static readonly (string Title, string Value)[] Confidences = [("High", "high"), ("Medium", "medium"), ("Low", "low")];

    private static ExecuteAction Execute(string title, string verb, JsonObject data, bool withInputs, bool positive = false) =>
        new ExecuteAction(title, verb, Clone(data)) { AssociatedInputs = withInputs ? null : "none", Style = positive ? ActionStyle.Positive : null }.WithSubmitFallback();

    private static JsonObject Clone(JsonObject data) => data.DeepClone().AsObject();

    /// <summary>A number input showing a submitted value as the validator reads it ("12,5" is 12.5, never 125).</summary>
    private static NumberInput Number(string id, string label, IReadOnlyDictionary<string, string?> values, decimal? max = null) => new()
    {
        Id = id,
        Label = label,
        Min = 0m,
        Max = max,
        Value = values.TryGetValue(id, out var text) && EnteredNumber.TryParse(text?.TrimEnd('%').TrimEnd(), out var value, out _) ? value : null,
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
        Wrap = true,
        ValueOn = "true",
        ValueOff = "false",
        Value = values.TryGetValue(id, out var text) && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false",
    };

    /// <summary>A drop-down: one line tall whatever the number of choices.</summary>
    private static ChoiceSetInput Compact(string id, string label, IReadOnlyDictionary<string, string?> values, string fallback, params (string Title, string Value)[] choices)
    {
        var input = new ChoiceSetInput
        {
            Id = id,
            Label = label,
            Style = ChoiceInputStyle.Compact,
            Value = values.TryGetValue(id, out var text) && choices.Any(c => c.Value == text) ? text : fallback,
        };
        foreach (var (title, value) in choices)
        {
            input.Choices.Add(new Choice(title, value));
        }

        return input;
    }
}
