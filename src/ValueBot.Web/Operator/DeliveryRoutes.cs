using ValueBot.Domain.Periods;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Installations;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Operator;

/// <summary>
/// The operator's view in Teams: <c>delivery [week]</c> sends an admin the delivery card of this week (or the week
/// given) in their 1:1 chat; its "Send again" buttons come back here and replace the card with the updated one.
/// </summary>
public sealed class DeliveryRoutes(TeamsAdmins admins, UseCaseRegistry registry, DeliveryBoard board) : IBotRoutes
{
    private const string NotAnAdmin = "Only ValueBot admins can see the delivery of check-ins or send one again. Nothing was sent.";

    public static void Map(BotRouter router)
    {
        // The view names people: typed in a channel or group chat, it is answered in the admin's 1:1 chat.
        router.OnCommand("delivery", "Admins: this week's check-ins sent, answered, missed, undeliverable and in doubt, with who is stuck (optionally of a week, e.g. delivery 2026-W10)", PersonalAnswers.Command<DeliveryRoutes>(r => r.ShowAsync));
        router.OnVerb<DeliveryRoutes>(DeliveryCard.SendAgainVerb, r => r.SendAgainAsync);
    }

    public async Task ShowAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await admins.IsAdminAsync(turn.Activity.From?.AadObjectId, ct))
        {
            await turn.SendTextAsync(NotAnAdmin, ct);
            return;
        }

        var text = turn.CommandArguments?.Trim() ?? "";
        var week = registry.CurrentWeek;
        if (text.Length > 0 && !IsoWeek.TryParse(text, out week))
        {
            await turn.SendTextAsync($"I could not read \"{Teams.Cards.CardText.Escape(text)}\" as a week: give an ISO week like 2026-W10, or nothing for this week.", ct);
            return;
        }

        var delivery = await board.ReadAsync(week, ct);
        await turn.SendCardAsync(DeliveryCard.Build(delivery), ct);
    }

    public async Task<CardActionResult> SendAgainAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var from = turn.Activity.From;
        if (!await admins.IsAdminAsync(from?.AadObjectId, ct))
        {
            return CardActionResult.Message(NotAnAdmin);
        }

        if (!Guid.TryParse(action.GetString(DeliveryCard.UseCaseIdKey), out var useCaseId) || !IsoWeek.TryParse(action.GetString(DeliveryCard.WeekKey), out var week))
        {
            return CardActionResult.Message("This card does not say which check-in to send again. Nothing was sent; type delivery for a fresh one.");
        }

        var name = string.IsNullOrWhiteSpace(from?.Name) ? "Teams admin" : from.Name.Trim();
        var result = await board.SendAgainAsync(useCaseId, week, $"{name} ({from?.AadObjectId})", ct);
        if (result.Outcome == SendAgainOutcome.NotFound)
        {
            return CardActionResult.Message(result.Explanation + " Nothing was sent.");
        }

        // The card as it is now: the check-in just queued has no button any more, so a second click has nothing to press.
        var delivery = await board.ReadAsync(week, ct);
        return CardActionResult.Card(DeliveryCard.Build(delivery, result.Outcome == SendAgainOutcome.Queued
            ? result.Explanation
            : "Nothing was sent: " + result.Explanation, result.Outcome == SendAgainOutcome.Queued));
    }
}
