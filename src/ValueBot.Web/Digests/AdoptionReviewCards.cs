using System.Globalization;
using System.Text.Json.Nodes;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;

namespace ValueBot.Web.Digests;

/// <summary>
/// The manager confirmation in the manager digest (DOMAIN.md "Evidence"): beside each report's use case its latest adoption
/// figure with one-click Confirm and Dispute, or the verdict already given this month.
/// </summary>
public static class AdoptionReviewCards
{
    public const string ConfirmVerb = "digest.confirmAdoption";
    public const string DisputeVerb = "digest.disputeAdoption";

    /// <summary>The week whose figure the card showed.</summary>
    public const string FigureWeekKey = "figureWeek";

    /// <summary>The fingerprint of the stored answer the card showed (<see cref="AdoptionConfirmations.Fingerprint"/>).</summary>
    public const string FigureKey = "figure";

    /// <summary>The line above the use cases when the digest asks for confirmation.</summary>
    public static string Intro(DateOnly month) =>
        $"Once a month you confirm or dispute the adoption figure of each of your reports' use cases ({month.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}): one click beside each. A disputed figure is marked in every view until the owner answers again.";

    /// <summary>The figure and its state; buttons while a verdict can be given or changed.</summary>
    public static Container Block(AdoptionAsk item, UseCase useCase, IsoWeek digestWeek, string managerAadObjectId)
    {
        var ask = item.Ask;
        var figure = ask.Figure;
        var owner = CardText.Escape(useCase.Owner?.DisplayName ?? "the owner");
        var container = new Container { Spacing = ElementSpacing.Small };
        var shown = $"Adoption of week {figure.Week}: {figure.ActiveUsers:#,0} of {figure.TargetUsers:#,0} target users ({Figures.Percent(figure.Adoption)}), as {owner} reported it";
        var text = ask.State switch
        {
            ConfirmationState.Confirmed => $"{shown} — **confirmed {By(ask.Verdict!, managerAadObjectId)}**.",
            ConfirmationState.Disputed => $"{shown} — **disputed {By(ask.Verdict!, managerAadObjectId)}**; marked in every view until {owner} answers again.",
            ConfirmationState.ConfirmedEarlierAnswer => $"{shown}. This month's confirmation is done: week {ask.Verdict!.FigureWeek}'s figure was confirmed {By(ask.Verdict, managerAadObjectId)}; {owner} has answered again since.",
            _ when ask.Verdict is { Verdict: AdoptionVerdict.Disputed } earlier => $"{shown}, answered again since the dispute {By(earlier, managerAadObjectId)}. Does it match what you see?",
            _ => $"{shown}. Does it match what you see?",
        };
        container.Items.Add(new TextBlock(text)
        {
            Wrap = true,
            Size = TextSize.Small,
            Color = ask.State == ConfirmationState.Disputed ? TextColor.Warning : ask.State == ConfirmationState.Confirmed ? TextColor.Good : null,
        });
        if (!ask.TakesVerdict)
        {
            return container;
        }

        var set = new ActionSet();
        if (ask.State != ConfirmationState.Confirmed)
        {
            set.Actions.Add(Action(ask.State == ConfirmationState.Disputed ? "Confirm instead" : "Confirm", ConfirmVerb, item, useCase.Id, digestWeek));
        }

        if (ask.State != ConfirmationState.Disputed)
        {
            set.Actions.Add(Action(ask.State == ConfirmationState.Confirmed ? "Dispute instead" : "Dispute", DisputeVerb, item, useCase.Id, digestWeek));
        }

        container.Items.Add(set);
        return container;
    }

    /// <summary>"by you on 2026-03-13" for the digest's manager, "by Name on …" for another.</summary>
    private static string By(GivenVerdict verdict, string managerAadObjectId) =>
        $"by {(verdict.ManagerAadObjectId == managerAadObjectId ? "you" : CardText.Escape(verdict.ManagerName))} on {verdict.ReviewedAt.UtcDateTime:yyyy-MM-dd}";

    private static ExecuteAction Action(string title, string verb, AdoptionAsk item, Guid useCaseId, IsoWeek digestWeek) =>
        new ExecuteAction(title, verb, new JsonObject
        {
            [DigestCards.UseCaseIdKey] = useCaseId.ToString("D"),
            [DigestCards.WeekKey] = digestWeek.ToString(),
            [FigureWeekKey] = item.Ask.Figure.Week.ToString(),
            [FigureKey] = item.Fingerprint,
        }).WithSubmitFallback();
}
