using System.Globalization;
using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Digests;

/// <summary>
/// The digest cards. Each list is ranked and cut at a fixed number of entries; the rest is summarised ("and 37 more
/// at risk") with a pointer to the full list, so a card stays far below Teams' 80 KB advice at any portfolio size.
/// Every chart has a fallback that says the same in facts.
/// </summary>
public static class DigestCards
{
    public const string NudgeVerb = "digest.nudge";
    public const string ShareWinVerb = "digest.shareWin";
    public const string DetailsVerb = "digest.details";
    public const string DecideVerb = "review.decide";

    public const string UseCaseIdKey = "useCaseId";
    public const string WeekKey = "week";

    public const int MaxManagerUseCases = 15;
    public const int MaxWins = 8;
    public const int MaxAtRisk = 10;
    public const int MaxNotReported = 15;
    public const int MaxReviewRows = 20;
    public const int MaxDecisions = 12;

    public static string DecisionInput(Guid useCaseId) => "decision_" + useCaseId.ToString("N");

    public static string ReasonInput(Guid useCaseId) => "reason_" + useCaseId.ToString("N");

    /// <summary>Teams counts a message as UTF-16 and advises staying under 80 KB; digests aim lower to leave room.</summary>
    public const int SizeBudgetBytes = 72 * 1024;

    /// <param name="adoption">The month's manager confirmation, by use case (<see cref="AdoptionConfirmations"/>); none when null.</param>
    public static AdaptiveCard Manager(ManagerDigest digest, DigestOptions options, IReadOnlyDictionary<Guid, AdoptionAsk>? adoption = null) =>
        Fit(share => Manager(digest, options, share, adoption ?? new Dictionary<Guid, AdoptionAsk>()));

    private static AdaptiveCard Manager(ManagerDigest digest, DigestOptions options, double share, IReadOnlyDictionary<Guid, AdoptionAsk> adoption)
    {
        var maxUseCases = Scaled(MaxManagerUseCases, share);
        var maxWins = Scaled(MaxWins, share);
        var card = new AdaptiveCard { FallbackText = $"Your team's AI use cases, week {digest.Week}" }.WithFullWidth();
        var mentions = new Mentions(card);
        card.Add(new TextBlock($"Your team's AI use cases — week {digest.Week}") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        card.Add(new TextBlock($"{Words.Count(digest.UseCases.Count, "use case")} owned by your reports: {ReportCounts(digest.Reported, digest.NotReported, digest.Unreachable, digest.Skipped)}.") { IsSubtle = true, Spacing = ElementSpacing.None, Wrap = true });
        card.Add(ThreeFiguresFacts(digest.ThisWeek, digest.LastWeek, digest.NinetyDays));
        card.Add(NetValueChart(digest.Trend, "Your team's net value per week", bars: true));

        card.Add(Heading($"Wins ({digest.Wins.Count})", TextColor.Good));
        if (digest.Wins.Count == 0)
        {
            card.Add(new TextBlock("No win reported this week.") { IsSubtle = true });
        }

        foreach (var win in digest.Wins.Take(maxWins))
        {
            card.Add(WinBlock(win, mentions, digest.Week));
            card.Add(Actions(Execute("Share with leadership", ShareWinVerb, win.UseCase.Id, win.Week)));
        }

        More(card, digest.Wins.Count - maxWins, "wins", options);

        card.Add(Heading("Use cases, most urgent first", null));
        if (adoption.Values.Any(a => a.Ask.State == ValueBot.Domain.Evidence.ConfirmationState.Open))
        {
            card.Add(new TextBlock(AdoptionReviewCards.Intro(ValueBot.Domain.Evidence.ManagerConfirmation.MonthOf(digest.Week))) { IsSubtle = true, Wrap = true, Spacing = ElementSpacing.None });
        }

        foreach (var line in digest.UseCases.Take(maxUseCases))
        {
            var container = new Container { Separator = true };
            var owner = line.UseCase.Owner is { } o ? mentions.Of(o) : "no owner";
            container.Items.Add(new TextBlock($"**{CardText.Escape(line.UseCase.Name)}** — {owner} — {ReportText(line)}") { Wrap = true });
            container.Items.Add(LineFigures(line));
            AddProblems(container.Items, line, share < 1 ? 1 : 3);
            container.Items.Add(new TextBlock("Recommendation: " + line.Evaluation.Recommendation.Headline) { IsSubtle = true, Spacing = ElementSpacing.Small });
            if (adoption.TryGetValue(line.Id, out var ask))
            {
                container.Items.Add(AdoptionReviewCards.Block(ask, line.UseCase, digest.Week, digest.Manager.AadObjectId));
            }

            var actions = new List<CardAction>();
            // A nudge is offered only where it would arrive: the owner has a chat with ValueBot and has not left.
            if (line.Report == WeekReport.NotReported && line.UseCase.Owner is not null && line.OwnerReachable)
            {
                actions.Add(Execute("Nudge owner", NudgeVerb, line.Id, digest.Week));
            }

            actions.Add(Execute("Open details", DetailsVerb, line.Id, digest.Week));
            container.Items.Add(Actions([.. actions]));
            card.Add(container);
        }

        More(card, digest.UseCases.Count - maxUseCases, "use cases", options);
        return card;
    }

    public static AdaptiveCard Leadership(LeadershipDigest digest, DigestOptions options) => Fit(share => Leadership(digest, options, share));

    private static AdaptiveCard Leadership(LeadershipDigest digest, DigestOptions options, double share)
    {
        var maxWins = Scaled(MaxWins, share);
        var maxAtRisk = Scaled(MaxAtRisk, share);
        var maxNotReported = Scaled(MaxNotReported, share);
        var card = new AdaptiveCard { FallbackText = $"AI portfolio digest, week {digest.Week}" }.WithFullWidth();
        var mentions = new Mentions(card);
        card.Add(new TextBlock($"AI portfolio — week {digest.Week}") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        card.Add(new TextBlock($"Net value this week: **{digest.ThisWeek.Net}** reported, **{digest.ThisWeek.AdjustedNet}** risk-adjusted ({Reported(digest.ThisWeek)}) · over 90 days: **{digest.NinetyDays.Net}** reported, **{digest.NinetyDays.AdjustedNet}** risk-adjusted ({WithData(digest.NinetyDays)}) · {Words.Count(digest.MeasuredUseCases, "use case")} measured.") { Spacing = ElementSpacing.None, Wrap = true });
        card.Add(new TextBlock(MeasuredShareText(digest.NinetyDays)) { IsSubtle = true, Spacing = ElementSpacing.None, Wrap = true });
        card.Add(ThreeFiguresFacts(digest.ThisWeek, digest.LastWeek, digest.NinetyDays));
        card.Add(NetValueChart(digest.Trend, "Portfolio net value per week", bars: false));
        card.Add(StageChart(digest.ByStage));

        var wins = new Container { Style = ContainerStyle.Good, Separator = true };
        wins.Items.Add(new TextBlock($"Wins ({digest.Wins.Count})") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (digest.Wins.Count == 0)
        {
            wins.Items.Add(new TextBlock("No win shared this week.") { IsSubtle = true });
        }

        foreach (var win in digest.Wins.Take(maxWins))
        {
            wins.Items.Add(WinBlock(win, mentions, digest.Week));
        }

        card.Add(wins);
        More(card, digest.Wins.Count - maxWins, "wins", options);

        var problems = digest.Breaches.Count + digest.Stalled.Count + digest.Doubtful.Count + digest.Stopped.Count;
        var notWorking = new Container { Style = ContainerStyle.Attention, Separator = true };
        notWorking.Items.Add(new TextBlock($"What is not working ({problems})") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (problems == 0)
        {
            notWorking.Items.Add(new TextBlock("No breach, no stalled use case, no figure in doubt, nothing stopped this week.") { IsSubtle = true });
        }

        AtRiskList(notWorking.Items, "Stop-loss breaches", digest.Breaches, maxAtRisk, mentions, line => $"90-day net value {Figures.Money(line.Evaluation.Rolling.NetValue)}.");
        AtRiskList(notWorking.Items, "Stalled (no answer to the last due check-ins)", digest.Stalled, maxAtRisk, mentions, _ => null);
        AtRiskList(notWorking.Items, "Figures in doubt (disputed by the manager, unconfirmed outliers, reported ≠ measured)", digest.Doubtful, maxAtRisk, mentions, _ => null);
        AtRiskList(notWorking.Items, "Stopped this week or recommended to stop — healthy kills that free people and budget", digest.Stopped, maxAtRisk, mentions, _ => null);
        card.Add(notWorking);
        More(card, digest.Breaches.Count - maxAtRisk, "at risk", options);
        More(card, digest.Stalled.Count - maxAtRisk, "stalled", options);
        More(card, digest.Doubtful.Count - maxAtRisk, "figures in doubt", options);
        More(card, digest.Stopped.Count - maxAtRisk, "stopped", options);

        var missingUseCases = digest.NotReported.Sum(m => m.UseCases.Count);
        card.Add(Heading($"Has not reported ({Words.Count(missingUseCases, "use case")})", TextColor.Warning));
        if (missingUseCases == 0)
        {
            card.Add(new TextBlock("Every owner ValueBot could reach reported this week.") { IsSubtle = true });
        }

        OwnerList(card, digest.NotReported, maxNotReported, mentions);
        More(card, digest.NotReported.Count - maxNotReported, "owners who have not reported", options);

        // Not the owners' doing: ValueBot could not deliver the check-in, so it is listed apart from "has not reported".
        var unreachableUseCases = digest.Unreachable.Sum(m => m.UseCases.Count);
        if (unreachableUseCases > 0)
        {
            card.Add(Heading($"Could not be asked ({Words.Count(unreachableUseCases, "use case")})", null));
            card.Add(new TextBlock("ValueBot is not installed for these owners, cannot reach them, or the use case has no owner: an admin can install the app or name an owner.") { IsSubtle = true, Wrap = true, Spacing = ElementSpacing.None });
            OwnerList(card, digest.Unreachable, maxNotReported, mentions);
            More(card, digest.Unreachable.Count - maxNotReported, "owners who could not be asked", options);
        }

        return card;
    }

    private static void OwnerList(AdaptiveCard card, IReadOnlyList<MissingReport> owners, int max, Mentions mentions)
    {
        foreach (var missing in owners.Take(max))
        {
            var who = missing.Owner is { } owner ? mentions.Of(owner) : "**No owner**";
            var names = string.Join(", ", missing.UseCases.Take(5).Select(l => CardText.Escape(l.UseCase.Name)));
            var extra = missing.UseCases.Count > 5 ? $" and {missing.UseCases.Count - 5} more" : "";
            card.Add(new TextBlock($"{who}: {names}{extra}") { Spacing = ElementSpacing.Small, Wrap = true });
        }

    }

    /// <summary>A shared win as its own channel post: the story, the owner mentioned, the use case's numbers.</summary>
    public static AdaptiveCard Win(DigestWin win, UseCaseEvaluation? evaluation)
    {
        var card = new AdaptiveCard { FallbackText = $"A win from {CardText.Clean(win.UseCase.Name)}: {CardText.Clean(win.Story)}" };
        var mentions = new Mentions(card);
        card.Add(new TextBlock($"A win: {CardText.Escape(win.UseCase.Name)}") { Size = TextSize.Large, Weight = TextWeight.Bolder, Color = TextColor.Good });
        card.Add(new TextBlock($"\u201C{CardText.Escape(win.Story)}\u201D") { Wrap = true });
        card.Add(new TextBlock($"Owner: {(win.UseCase.Owner is { } o ? mentions.Of(o) : "no owner")} · week {win.Week} · stage {Words.Of(win.UseCase.Stage)}") { IsSubtle = true });
        if (win.FromLossMakingWeek)
        {
            card.Add(LossMakingLabel(win));
        }

        var facts = new FactSet();
        facts.Facts.Add(new Fact($"Week {win.Week}", ThreeFiguresText(win.Metrics.GrossValue, win.Metrics.AbsorptionCost, win.Metrics.NetValue, win.Metrics.AdjustedNetValue)));
        if (evaluation?.Rolling is { AnsweredWeeks: > 0 } rolling)
        {
            facts.Facts.Add(new Fact("Over 90 days", ThreeFiguresText(rolling.GrossValue, rolling.AbsorptionCost, rolling.NetValue, rolling.AdjustedNetValue)));
        }

        facts.Facts.Add(new Fact($"Hours saved in week {win.Week}", Figures.Number(win.Metrics.HoursSaved)));
        facts.Facts.Add(new Fact("Adoption", Figures.Percent(win.Metrics.Adoption)));
        card.Add(facts);
        return card;
    }

    public static AdaptiveCard Monthly(MonthlyReview review, DigestOptions options)
    {
        var month = review.Month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var card = new AdaptiveCard { FallbackText = $"Monthly financial review, {month}" }.WithFullWidth();
        card.Add(new TextBlock($"Monthly financial review — {month}") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        card.Add(new TextBlock($"ISO weeks {review.FirstWeek} to {review.LastWeek}; the three figures summed over the answered weeks. {review.UseCases.Count} of {Words.Count(review.UseCases.Count + review.WithoutData, "use case")} reported, {review.WithoutData} without any answer.") { IsSubtle = true, Spacing = ElementSpacing.None, Wrap = true });
        card.Add(new FactSet
        {
            Facts =
            {
                new Fact("Gross value", review.Portfolio.Gross.ToString()),
                new Fact("Absorption cost", review.Portfolio.Absorption.ToString()),
                new Fact("Net value (reported)", review.Portfolio.Net.ToString()),
                new Fact("Net value (risk-adjusted)", review.Portfolio.AdjustedNet.ToString()),
            },
        });
        card.Add(new TextBlock(MeasuredShareText(review.Portfolio)) { IsSubtle = true, Spacing = ElementSpacing.Small, Wrap = true });
        AddFreedTime(card, review);
        card.Add(Heading("Where value leaked", TextColor.Warning));
        var leakage = new FactSet
        {
            Facts =
            {
                new Fact("Translation (pilot benefit not reached)", review.Translation.ToString()),
                new Fact("Adoption (target users not using it)", review.Adoption.ToString()),
                new Fact("Execution (rework and exceptions)", review.Execution.ToString()),
                new Fact("Control (run cost above plan)", review.Control.ToString()),
            },
        };
        var currency = MainCurrency(review.UseCases.Select(u => u.UseCase.Currency));
        if (currency is not null)
        {
            var donut = new DonutChart { Title = $"Leakage by kind ({currency})", Fallback = Titled($"Leakage by kind ({currency})", leakage) };
            donut.Data.Add(new ChartSlice("Translation", Round(review.Translation.In(currency)), ChartColor.CategoricalBlue));
            donut.Data.Add(new ChartSlice("Adoption", Round(review.Adoption.In(currency)), ChartColor.CategoricalPurple));
            donut.Data.Add(new ChartSlice("Execution", Round(review.Execution.In(currency)), ChartColor.CategoricalRed));
            donut.Data.Add(new ChartSlice("Control", Round(review.Control.In(currency)), ChartColor.CategoricalYellow));
            card.Add(donut);
        }
        else
        {
            card.Add(leakage);
        }

        card.Add(Heading("Per use case, lowest net value first", null));
        foreach (var row in review.UseCases.Take(MaxReviewRows))
        {
            card.Add(new TextBlock($"**{CardText.Escape(row.UseCase.Name)}** ({Words.Count(row.AnsweredWeeks, "answered week")}): {ThreeFiguresText(row.Gross, row.Absorption, row.Net, row.AdjustedNet)}") { Spacing = ElementSpacing.Small, Wrap = true });
        }

        More(card, review.UseCases.Count - MaxReviewRows, "use cases", options);
        return card;
    }

    public static AdaptiveCard Quarterly(QuarterlyReview review, DigestOptions options) => Fit(share => Quarterly(review, options, share));

    private static AdaptiveCard Quarterly(QuarterlyReview review, DigestOptions options, double share)
    {
        var maxDecisions = Scaled(MaxDecisions, share);
        var card = new AdaptiveCard { FallbackText = $"Quarterly stage-gate review, week {review.Week}" }.WithFullWidth();
        var mentions = new Mentions(card);
        card.Add(new TextBlock($"Quarterly stage-gate review — as of week {review.Week}") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        var counts = review.UseCases.GroupBy(l => l.Evaluation.Recommendation.Recommendation).ToDictionary(g => g.Key, g => g.Count());
        card.Add(new TextBlock(string.Join(" · ", Enum.GetValues<Recommendation>().Select(r => $"{Words.Of(r)}: {counts.GetValueOrDefault(r)}"))) { IsSubtle = true, Spacing = ElementSpacing.None });
        card.Add(new TextBlock("ValueBot recommends; you decide. Pick a decision, give the reason and record it: the stage changes with it, and it is audited with the recommendation of the day.") { Wrap = true });
        if (review.Revisited.Count > 0)
        {
            card.Add(Heading($"Decisions of the last quarter, 90 days on ({review.Revisited.Count})", null));
            foreach (var revisited in review.Revisited.Take(maxDecisions))
            {
                card.Add(new TextBlock(Revisited(revisited)) { Wrap = true, Spacing = ElementSpacing.Small });
            }

            if (review.Revisited.Count > maxDecisions)
            {
                card.Add(new TextBlock($"…and {review.Revisited.Count - maxDecisions} more decisions (see the admin API's decisions).") { IsSubtle = true, Spacing = ElementSpacing.Small });
            }
        }

        foreach (var line in review.UseCases.Take(maxDecisions))
        {
            var recommendation = line.Evaluation.Recommendation;
            var container = new Container { Separator = true };
            container.Items.Add(new TextBlock($"**{CardText.Escape(line.UseCase.Name)}** — {(line.UseCase.Owner is { } o ? mentions.Of(o) : "no owner")} — stage {Words.Of(line.UseCase.Stage)}"));
            container.Items.Add(new TextBlock(recommendation.Headline) { Color = recommendation.Recommendation is Recommendation.Stop or Recommendation.Redesign ? TextColor.Attention : TextColor.Default, Spacing = ElementSpacing.None });
            foreach (var reason in recommendation.Reasons.Take(3))
            {
                container.Items.Add(new TextBlock("· " + CardText.Escape(reason.Text)) { IsSubtle = true, Spacing = ElementSpacing.None, Size = TextSize.Small });
            }

            container.Items.Add(new TextBlock($"90 days: {ThreeFiguresText(line.Evaluation.Rolling.GrossValue, line.Evaluation.Rolling.AbsorptionCost, line.Evaluation.Rolling.NetValue, line.Evaluation.Rolling.AdjustedNetValue)}") { Spacing = ElementSpacing.Small, Size = TextSize.Small, Wrap = true });
            if (review.Decided.TryGetValue(line.Id, out var decided))
            {
                // Recorded from this card: who decided and why, in place of the inputs, so nobody decides twice.
                container.Items.Add(new TextBlock(DecidedText(decided)) { Weight = TextWeight.Bolder, Color = TextColor.Good, Wrap = true, Spacing = ElementSpacing.Small });
                card.Add(container);
                continue;
            }

            var choice = new ChoiceSetInput { Id = DecisionInput(line.Id), Label = "Decision", Style = ChoiceInputStyle.Compact, Value = UseCaseRegistry.Name(recommendation.Recommendation) };
            foreach (var r in Enum.GetValues<Recommendation>())
            {
                choice.Choices.Add(new Choice(Words.Of(r), UseCaseRegistry.Name(r)));
            }

            container.Items.Add(choice);
            container.Items.Add(new TextInput { Id = ReasonInput(line.Id), Label = "Reason", Placeholder = "Why this decision", MaxLength = DecisionReasonMaxLength });
            container.Items.Add(Actions(Execute("Record decision", DecideVerb, line.Id, review.Week)));
            card.Add(container);
        }

        More(card, review.UseCases.Count - maxDecisions, "use cases to review", options);
        return card;
    }

    public const int DecisionReasonMaxLength = 500;

    private static string DecidedText(StageDecision decision) =>
        $"Decided: {Words.Of(decision.Outcome)}, by {DecidedBy(decision.DecidedBy)} on {decision.DecidedAt:yyyy-MM-dd}. Reason: {decision.Reason}"
        + (decision.Recommended is { } r ? $" (ValueBot recommended {Words.Of(r)}.)" : "");

    /// <summary>"decided stop on 2026-01-05 because … — net since then …".</summary>
    private static string Revisited(RevisitedDecision revisited)
    {
        var d = revisited.Decision;
        var since = revisited.AnsweredWeeksSince > 0
            ? $"since then ({Words.Count(revisited.AnsweredWeeksSince, "answered week")}): {ThreeFiguresText(revisited.GrossSince, revisited.AbsorptionSince, revisited.NetSince, revisited.AdjustedNetSince)}"
            : d.Outcome == Recommendation.Stop ? "no check-ins since: it stopped" : "no answered week since";
        return $"**{CardText.Escape(revisited.UseCase.Name)}**: decided {Words.Of(d.Outcome).ToLowerInvariant()} on {d.DecidedAt:yyyy-MM-dd} because {CardText.Escape(d.Reason.TrimEnd('.'))} — {since}. Now: {Words.Of(revisited.UseCase.Stage).ToLowerInvariant()}.";
    }

    /// <summary>The audit names a person "Name (object id)"; the card shows the name.</summary>
    private static string DecidedBy(string decidedBy)
    {
        var open = decidedBy.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 ? decidedBy[..open] : decidedBy;
    }

    /// <summary>One use case in full: the figures, the leakage, every warning and the recommendation with its reasons.</summary>
    public static AdaptiveCard Details(UseCase useCase, UseCaseEvaluation evaluation)
    {
        var card = new AdaptiveCard { FallbackText = $"{CardText.Clean(useCase.Name)}: details" };
        card.Add(new TextBlock(CardText.Escape(useCase.Name)) { Size = TextSize.Large, Weight = TextWeight.Bolder });
        card.Add(new TextBlock($"Owner {CardText.Escape(useCase.Owner?.DisplayName ?? "none")} · stage {Words.Of(useCase.Stage)} · {Words.Of(useCase.ValueModel)}") { IsSubtle = true, Spacing = ElementSpacing.None, Wrap = true });
        var facts = new FactSet();
        if (evaluation.LatestMetrics is { } latest)
        {
            facts.Facts.Add(new Fact($"Latest answered week ({latest.Week})", ThreeFiguresText(latest.GrossValue, latest.AbsorptionCost, latest.NetValue, latest.AdjustedNetValue)));
            facts.Facts.Add(new Fact("Adoption · rework · exceptions", $"{Figures.Percent(latest.Adoption)} · {Figures.Percent(latest.ReworkRate)} · {Figures.Percent(latest.ExceptionRate)}"));
        }
        else
        {
            facts.Facts.Add(new Fact("Latest answered week", "no data"));
        }

        var rolling = evaluation.Rolling;
        facts.Facts.Add(new Fact($"Over 90 days ({Words.Count(rolling.AnsweredWeeks, "answered week")})", ThreeFiguresText(rolling.GrossValue, rolling.AbsorptionCost, rolling.NetValue, rolling.AdjustedNetValue)));
        var leakage = evaluation.Leakage;
        facts.Facts.Add(new Fact("Leakage: translation · adoption · execution · control",
            $"{Figures.Money(leakage.Translation)} · {Figures.Money(leakage.Adoption)} · {Figures.Money(leakage.Execution)} · {Figures.Money(leakage.Control)}"));
        facts.Facts.Add(new Fact("Check-in compliance", Figures.Percent(evaluation.Compliance.Rate)));
        card.Add(facts);
        foreach (var warning in evaluation.Warnings)
        {
            card.Add(new TextBlock($"{warning.Name}: {CardText.Escape(warning.Reason)}") { Color = warning.RuleId == "stop-loss-breach" ? TextColor.Attention : TextColor.Warning });
        }

        card.Add(new TextBlock(evaluation.Recommendation.Headline) { Weight = TextWeight.Bolder, Separator = true });
        foreach (var reason in evaluation.Recommendation.Reasons)
        {
            card.Add(new TextBlock("· " + CardText.Escape(reason.Text)) { IsSubtle = true, Spacing = ElementSpacing.None });
        }

        return card;
    }

    /// <summary>A short list of recent wins, for the <c>wins</c> command.</summary>
    public static AdaptiveCard Wins(IReadOnlyList<DigestWin> wins, string title, DigestOptions options)
    {
        var card = new AdaptiveCard { FallbackText = title };
        var mentions = new Mentions(card);
        card.Add(new TextBlock(title) { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (wins.Count == 0)
        {
            card.Add(new TextBlock("No win reported in the last four weeks.") { IsSubtle = true });
        }

        foreach (var win in wins.Take(MaxWins * 2))
        {
            card.Add(WinBlock(win, mentions, null));
        }

        More(card, wins.Count - MaxWins * 2, "wins", options);
        return card;
    }

    /// <summary>A win with its week's figures; "This week" only when it is the digest week's.</summary>
    private static Container WinBlock(DigestWin win, Mentions mentions, ValueBot.Domain.Periods.IsoWeek? digestWeek)
    {
        var container = new Container { Spacing = ElementSpacing.Medium };
        var owner = win.UseCase.Owner is { } o ? mentions.Of(o) : "no owner";
        var when = win.Week == digestWeek ? "This week" : $"Week {win.Week}";
        container.Items.Add(new TextBlock($"**{CardText.Escape(win.UseCase.Name)}** — {owner} (week {win.Week})") { Wrap = true });
        container.Items.Add(new TextBlock($"\u201C{CardText.Escape(win.Story)}\u201D") { Spacing = ElementSpacing.None, Wrap = true });
        if (win.FromLossMakingWeek)
        {
            container.Items.Add(LossMakingLabel(win));
        }

        container.Items.Add(new TextBlock($"{when}: {ThreeFiguresText(win.Metrics.GrossValue, win.Metrics.AbsorptionCost, win.Metrics.NetValue, win.Metrics.AdjustedNetValue)} · {Figures.Number(win.Metrics.HoursSaved)} hours saved") { IsSubtle = true, Spacing = ElementSpacing.None, Size = TextSize.Small, Wrap = true });
        return container;
    }

    private static TextBlock LossMakingLabel(DigestWin win) =>
        new($"Loss-making week: net value {win.Metrics.NetValue} — a story worth telling, not yet a gain.") { Color = TextColor.Attention, Spacing = ElementSpacing.None, Size = TextSize.Small, Wrap = true };

    private static void AtRiskList(List<CardElement> items, string title, IReadOnlyList<AtRisk> list, int max, Mentions mentions, Func<DigestLine, string?> suffix)
    {
        if (list.Count == 0)
        {
            return;
        }

        items.Add(new TextBlock($"{title} ({list.Count})") { Weight = TextWeight.Bolder, Spacing = ElementSpacing.Medium });
        foreach (var item in list.Take(max))
        {
            var owner = item.Line.UseCase.Owner is { } o ? mentions.Of(o) : "no owner";
            var text = $"**{CardText.Escape(item.Line.UseCase.Name)}** — {owner}: {string.Join("; ", item.Reasons.Select(CardText.Escape))}.";
            if (suffix(item.Line) is { } extra)
            {
                text += " " + extra;
            }

            items.Add(new TextBlock(text.Replace("..", ".", StringComparison.Ordinal)) { Spacing = ElementSpacing.Small });
        }
    }

    private static void AddProblems(List<CardElement> items, DigestLine line, int maxWarnings)
    {
        foreach (var reason in line.BreachReasons)
        {
            items.Add(new TextBlock($"Stop-loss breach: {CardText.Escape(reason)}.") { Color = TextColor.Attention, Weight = TextWeight.Bolder, Spacing = ElementSpacing.None });
        }

        foreach (var warning in line.OtherWarnings.Take(maxWarnings))
        {
            items.Add(new TextBlock($"{warning.Name}: {CardText.Escape(warning.Reason)}") { Color = TextColor.Warning, Spacing = ElementSpacing.None });
        }

        if (line.OtherWarnings.Count > maxWarnings)
        {
            items.Add(new TextBlock($"{line.OtherWarnings.Count - maxWarnings} more warnings: open the details.") { IsSubtle = true, Spacing = ElementSpacing.None });
        }

        if (line.Win is { } win)
        {
            items.Add(new TextBlock($"Win: \u201C{CardText.Escape(win.Story)}\u201D") { Color = TextColor.Good, Spacing = ElementSpacing.None });
        }
    }

    private static FactSet LineFigures(DigestLine line)
    {
        if (line.ThisWeek is null)
        {
            return new FactSet { Facts = { new Fact("This week", "no data (not answered)"), new Fact("Over 90 days", NetsText(line.Evaluation.Rolling.NetValue, line.Evaluation.Rolling.AdjustedNetValue)) } };
        }

        return new FactSet
        {
            Facts =
            {
                new Fact("Gross value", WithChange(line.Gross)),
                new Fact("Absorption cost", WithChange(line.Absorption)),
                new Fact("Net value (reported)", WithChange(line.Net)),
                new Fact("Net value (risk-adjusted)", WithChange(line.AdjustedNet)),
                new Fact("Net over 90 days", NetsText(line.Evaluation.Rolling.NetValue, line.Evaluation.Rolling.AdjustedNetValue)),
            },
        };
    }

    private static string WithChange(FigureChange change) =>
        change.Current is not { } current ? "–"
        : change.Change is { } delta ? $"{current} ({Signed(delta)} vs last week)"
        : $"{current} (no answer last week)";

    private static string Signed(Money delta) => (delta.Amount >= 0 ? "+" : "−") + new Money(Math.Abs(delta.Amount), delta.Currency);

    /// <summary>Every total says how many use cases it sums, so a week half reported is not read as a bad week.</summary>
    private static FactSet ThreeFiguresFacts(ThreeFigures week, ThreeFigures last, ThreeFigures ninety)
    {
        var facts = new FactSet();
        facts.Facts.Add(new Fact($"This week ({Reported(week)})", ThreeFiguresText(week.Gross, week.Absorption, week.Net, week.AdjustedNet)));
        if (last.Reporting > 0)
        {
            facts.Facts.Add(new Fact($"Net value last week ({Reported(last)})", $"{last.Net} (reported) · {last.AdjustedNet} (risk-adjusted)"));
        }

        facts.Facts.Add(new Fact($"Over 90 days ({WithData(ninety)})", ThreeFiguresText(ninety.Gross, ninety.Absorption, ninety.Net, ninety.AdjustedNet)));
        return facts;
    }

    private static string Reported(ThreeFigures figures) => $"{figures.Reporting:#,0} of {figures.Expected:#,0} reported";

    private static string WithData(ThreeFigures figures) => $"{figures.Reporting:#,0} of {figures.Expected:#,0} with data";

    private static string ReportCounts(int answered, int notReported, int unreachable, int skipped)
    {
        var parts = new List<string> { $"{answered} answered", $"{notReported} not reported" };
        if (unreachable > 0)
        {
            parts.Add($"{unreachable} could not be asked");
        }

        if (skipped > 0)
        {
            parts.Add($"{skipped} skipped");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The three figures with the risk-adjusted net beside the reported one, each labelled.</summary>
    private static string ThreeFiguresText(MoneyTotals gross, MoneyTotals absorption, MoneyTotals net, MoneyTotals adjustedNet) =>
        $"gross {gross} · absorption {absorption} · net (reported) {net} · net (risk-adjusted) {adjustedNet}";

    private static string ThreeFiguresText(Money? gross, Money? absorption, Money? net, Money? adjustedNet) =>
        $"gross {Figures.Money(gross)} · absorption {Figures.Money(absorption)} · net (reported) {Figures.Money(net)} · net (risk-adjusted) {Figures.Money(adjustedNet)}";

    private static string NetsText(Money? net, Money? adjustedNet) =>
        $"{Figures.Money(net)} net (reported) · {Figures.Money(adjustedNet)} net (risk-adjusted)";

    /// <summary>"Measured: 25 % of the gross value (EUR)…": how much of the value rests on measured minutes saved, per currency.</summary>
    internal static string MeasuredShareText(ThreeFigures figures)
    {
        var shares = figures.Gross.Amounts
            .Select(g => figures.MeasuredShare(g.Currency) is { } share ? $"{Figures.Percent(share)} ({g.Currency})" : null)
            .OfType<string>().ToList();
        return shares.Count == 0
            ? "Measured share of the value: – (no gross value yet)."
            : $"Measured share of the value: {string.Join(" · ", shares)} of the gross value rests on measured minutes saved; the rest is estimated or guessed and is discounted in the risk-adjusted net.";
    }

    /// <summary>The monthly review's "where the freed time went" and the use cases whose savings bring no relief.</summary>
    private static void AddFreedTime(AdaptiveCard card, MonthlyReview review)
    {
        var freed = review.FreedTime;
        card.Add(Heading("Where the freed time went", null));
        if (freed.Stated == 0m)
        {
            card.Add(new TextBlock(freed.NotSaid > 0m
                ? $"No owner said where the {Figures.Number(freed.NotSaid)} hours saved this month went."
                : "No hours saved this month.") { IsSubtle = true, Wrap = true });
        }
        else
        {
            card.Add(new FactSet
            {
                Facts =
                {
                    new Fact("Reclaimed as capacity", $"{Figures.Percent(freed.CapacityShare)} ({Figures.Number(freed.Capacity)} h)"),
                    new Fact("Redeployed to other valued work", $"{Figures.Percent(freed.RedeployedShare)} ({Figures.Number(freed.Redeployed)} h)"),
                    new Fact("Absorbed (nobody can say)", $"{Figures.Percent(freed.AbsorbedShare)} ({Figures.Number(freed.Absorbed)} h)"),
                    new Fact("Not said", $"{Figures.Number(freed.NotSaid)} h (left out of the shares)"),
                },
            });
        }

        if (review.WithoutRelief.Count > 0)
        {
            card.Add(new TextBlock($"Savings without relief ({review.WithoutRelief.Count})") { Weight = TextWeight.Bolder, Color = TextColor.Warning, Spacing = ElementSpacing.Medium });
            foreach (var item in review.WithoutRelief.Take(MaxReviewRows))
            {
                card.Add(new TextBlock($"**{CardText.Escape(item.UseCase.Name)}**: {Figures.Percent(item.AbsorbedShare)} of the time freed in its last {item.Weeks} answered weeks was absorbed — the saved hours are not reaching the P&L.") { Spacing = ElementSpacing.Small, Wrap = true, Color = TextColor.Warning });
            }
        }
    }

    /// <summary>Net value per week in the currency most use cases use; the fallback lists the same weeks as facts.</summary>
    private static CardElement NetValueChart(IReadOnlyList<TrendPoint> trend, string title, bool bars)
    {
        var currency = MainCurrency(trend.SelectMany(p => p.Net.Amounts.Select(a => a.Currency)));
        var fallback = new FactSet();
        foreach (var point in trend)
        {
            fallback.Facts.Add(new Fact(point.Week.ToString(), point.Net.IsEmpty ? "no data" : $"{point.Net} reported · {point.AdjustedNet} risk-adjusted ({Words.Count(point.Reporting, "use case")})"));
        }

        if (currency is null)
        {
            return new TextBlock("No answered week in the last 90 days: no trend yet.") { IsSubtle = true };
        }

        var points = trend.Where(p => p.Net.In(currency) is not null)
            .Select(p => new ChartPoint($"W{p.Week.Week:D2}", Round(p.Net.In(currency)), p.Net.In(currency)!.Value.Amount < 0 ? ChartColor.Attention : ChartColor.Good))
            .ToList();
        var chartTitle = $"{title} ({currency})";
        if (bars)
        {
            var chart = new VerticalBarChart { Title = chartTitle, Fallback = Titled(chartTitle, fallback), YAxisTitle = currency };
            chart.Data.AddRange(points);
            return chart;
        }

        var line = new LineChart { Title = chartTitle, Fallback = Titled(chartTitle, fallback), YAxisTitle = currency };
        var series = new LineChartSeries { Legend = "Net value (reported)", Color = ChartColor.CategoricalBlue };
        series.Values.AddRange(points.Select(p => new ChartPoint(p.X!, p.Y)));
        line.Data.Add(series);
        var adjusted = new LineChartSeries { Legend = "Net value (risk-adjusted)", Color = ChartColor.CategoricalPurple };
        adjusted.Values.AddRange(trend.Where(p => p.AdjustedNet.In(currency) is not null)
            .Select(p => new ChartPoint($"W{p.Week.Week:D2}", Round(p.AdjustedNet.In(currency)))));
        line.Data.Add(adjusted);
        return line;
    }

    private static CardElement StageChart(IReadOnlyDictionary<Stage, int> byStage)
    {
        const string title = "Use cases by stage";
        var fallback = new FactSet();
        var chart = new VerticalBarChart { Title = title, Fallback = Titled(title, fallback) };
        foreach (var (stage, count) in byStage.OrderBy(p => p.Key))
        {
            fallback.Facts.Add(new Fact(Words.Of(stage), count.ToString(CultureInfo.InvariantCulture)));
            chart.Data.Add(new ChartPoint(Words.Of(stage), count, stage == Stage.Stopped ? ChartColor.Neutral : stage == Stage.Redesign ? ChartColor.Warning : ChartColor.Good));
        }

        return chart;
    }

    private static string? MainCurrency(IEnumerable<string> currencies) =>
        currencies.GroupBy(c => c, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    private static decimal Round(Money? money) => Math.Round(money?.Amount ?? 0m, 2);

    /// <summary>A chart's fallback: the chart's title as a heading over the same facts.</summary>
    private static Container Titled(string title, FactSet facts) =>
        new() { Items = { new TextBlock(title) { Weight = TextWeight.Bolder, Wrap = true }, facts } };

    private static TextBlock Heading(string text, string? color) => new(text) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Separator = true, Color = color };

    private static void More(AdaptiveCard card, int hidden, string what, DigestOptions options)
    {
        if (hidden <= 0)
        {
            return;
        }

        card.Add(new TextBlock($"…and {hidden} more {what}. {options.FullListHint}") { IsSubtle = true, Spacing = ElementSpacing.Small });
        if (options.FullListUrl is { Length: > 0 } url)
        {
            card.Add(Actions(new OpenUrlAction("See the full list", url)));
        }
    }

    /// <summary>
    /// Builds with the full lists, then with fewer entries until the card fits <see cref="SizeBudgetBytes"/>: the lists
    /// are already capped, so this only bites for unusually long names, stories or reasons.
    /// </summary>
    private static AdaptiveCard Fit(Func<double, AdaptiveCard> build)
    {
        AdaptiveCard card = build(1.0);
        foreach (var share in new[] { 0.75, 0.5, 0.25, 0.0 })
        {
            if (card.SizeInBytes() <= SizeBudgetBytes)
            {
                break;
            }

            card = build(share);
        }

        return card;
    }

    private static int Scaled(int max, double share) => (int)Math.Floor(max * share);

    /// <summary>Missed is the owner's; not delivered is ValueBot's problem, and still open is neither yet.</summary>
    private static string ReportText(DigestLine line) => line.Report switch
    {
        WeekReport.Reported => "answered",
        WeekReport.Skipped => "skipped this week",
        _ when line.UseCase.Owner is null => "**no owner to ask**",
        _ when line.IsUnreachable => "**could not be asked** (ValueBot not installed or the owner unreachable)",
        _ => line.ThisWeekStatus switch
        {
            CheckInStatus.Missed => "**missed**",
            CheckInStatus.Sent or CheckInStatus.Scheduled => "**not answered yet**",
            _ => "**no check-in this week**",
        },
    };

    private static ExecuteAction Execute(string title, string verb, Guid useCaseId, ValueBot.Domain.Periods.IsoWeek week) =>
        new ExecuteAction(title, verb, new JsonObject { [UseCaseIdKey] = useCaseId.ToString("D"), [WeekKey] = week.ToString() }).WithSubmitFallback();

    private static ActionSet Actions(params CardAction[] actions)
    {
        var set = new ActionSet();
        set.Actions.AddRange(actions);
        return set;
    }

    /// <summary>Writes <c>&lt;at&gt;Name&lt;/at&gt;</c> and registers each person's mention entity once per card.</summary>
    private sealed class Mentions(AdaptiveCard card)
    {
        private readonly HashSet<string> _added = new(StringComparer.Ordinal);

        public string Of(PersonRef person)
        {
            var mention = new Mention(person.AadObjectId, person.DisplayName);
            if (_added.Add(person.AadObjectId))
            {
                card.AddMention(mention);
            }

            return mention.Text;
        }
    }
}
