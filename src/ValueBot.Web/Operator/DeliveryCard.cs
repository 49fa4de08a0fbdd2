using System.Globalization;
using System.Text.Json.Nodes;
using ValueBot.Teams.Cards;

namespace ValueBot.Web.Operator;

/// <summary>
/// The admins' delivery card in Teams: this week's counts per state, the undeliverable ones by the reason Teams gave,
/// and who is in doubt, undeliverable or missed — each with "Send again" where <see cref="DeliveryBoard"/> allows it.
/// </summary>
public static class DeliveryCard
{
    public const string SendAgainVerb = "delivery.sendAgain";
    public const string UseCaseIdKey = "useCaseId";
    public const string WeekKey = "week";

    /// <summary>At most this many people are listed (the card stays well under Teams' size limit); the rest are counted.</summary>
    public const int MaxListed = 25;

    public static AdaptiveCard Build(WeekDelivery delivery, string? notice = null, bool noticeIsGood = true)
    {
        var week = delivery.Week.ToString();
        var card = new AdaptiveCard { FallbackText = $"Delivery of the check-ins of week {week}" };
        card.Add(new TextBlock($"Delivery of the check-ins, week {week}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (notice is not null)
        {
            card.Add(new TextBlock(CardText.Escape(notice)) { Color = noticeIsGood ? TextColor.Good : TextColor.Attention, Weight = TextWeight.Bolder });
        }

        var counts = new FactSet();
        foreach (var state in WeekDelivery.States)
        {
            counts.Facts.Add(new Fact(Capitalised(state.Words()), delivery.Count(state).ToString(CultureInfo.InvariantCulture)));
        }

        card.Add(counts);
        var byReason = delivery.UndeliverableByReason();
        if (byReason.Count > 0)
        {
            card.Add(new TextBlock("Undeliverable, by the reason Teams gave") { Weight = TextWeight.Bolder, Separator = true });
            var reasons = new FactSet();
            foreach (var (reason, count) in byReason)
            {
                reasons.Facts.Add(new Fact(CardText.Escape(reason), count.ToString(CultureInfo.InvariantCulture)));
            }

            card.Add(reasons);
        }

        var problems = delivery.ProblemLines();
        if (problems.Count == 0)
        {
            card.Add(new TextBlock("Nobody is stuck: nothing in doubt, undeliverable or missed.") { Separator = true });
            return card;
        }

        foreach (var group in problems.Take(MaxListed).GroupBy(l => l.State))
        {
            card.Add(new TextBlock($"{Capitalised(group.Key.Words())} ({delivery.Count(group.Key)})") { Weight = TextWeight.Bolder, Separator = true });
            foreach (var line in group)
            {
                var text = $"**{CardText.Escape(line.UseCase)}** — {CardText.Escape(line.Owner)}";
                card.Add(new TextBlock(line.Reason is null ? text : $"{text}: {CardText.Escape(line.Reason)}") { Wrap = true });
                if (line.SendAgain.Allowed)
                {
                    var action = new ExecuteAction($"Send again to {CardText.Clean(line.Owner)}", SendAgainVerb,
                        new JsonObject { [UseCaseIdKey] = line.UseCaseId.ToString("D"), [WeekKey] = week }).WithSubmitFallback();
                    var actions = new ActionSet();
                    actions.Actions.Add(action);
                    card.Add(actions);
                }
                else if (line.State != DeliveryState.Missed)
                {
                    card.Add(new TextBlock(CardText.Escape(line.SendAgain.Explanation)) { IsSubtle = true, Wrap = true, Spacing = ElementSpacing.None });
                }
            }
        }

        if (problems.Count > MaxListed)
        {
            card.Add(new TextBlock($"…and {problems.Count - MaxListed} more: GET /api/admin/delivery?week={week} or the Delivery page of the ValueBot tab lists everyone.")
            {
                IsSubtle = true, Wrap = true,
            });
        }

        return card;
    }

    private static string Capitalised(string words) => char.ToUpperInvariant(words[0]) + words[1..];
}
