using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;
using ValueBot.Web.AdminCards;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Installations;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Previews;

/// <summary>
/// Admin commands in the 1:1 chat to see the rhythm without waiting for the calendar: <c>preview digest</c>,
/// <c>preview monthly</c> and <c>preview quarterly</c> (each optionally followed by a week or month) send the card the
/// schedule would post, to the admin only; <c>run check-ins now</c> runs the weekly check-in cycle once, as the
/// schedule's next tick would.
/// </summary>
public sealed class PreviewRoutes(TeamsAdmins admins, UseCaseRegistry registry, RhythmPreviews previews, CheckInCycle cycle) : IBotRoutes
{
    public static void Map(BotRouter router)
    {
        router.OnCommand("preview digest", "Admins: preview the leadership digest (optionally of a week, e.g. preview digest 2026-W10)",
            PersonalAnswers.Command<PreviewRoutes>(r => (turn, ct) => r.PreviewAsync(turn, PreviewKind.Weekly, ct)), inMenu: false);
        router.OnCommand("preview monthly", "Admins: preview the monthly financial review (optionally of a month, e.g. preview monthly 2026-02)",
            PersonalAnswers.Command<PreviewRoutes>(r => (turn, ct) => r.PreviewAsync(turn, PreviewKind.Monthly, ct)), inMenu: false);
        router.OnCommand("preview quarterly", "Admins: preview the quarterly stage-gate review (optionally as of a week)",
            PersonalAnswers.Command<PreviewRoutes>(r => (turn, ct) => r.PreviewAsync(turn, PreviewKind.Quarterly, ct)), inMenu: false);
        router.OnCommand("run check-ins now", "Admins: run the weekly check-in cycle now (send what is due, remind, close missed weeks)",
            PersonalAnswers.Command<PreviewRoutes>(r => r.RunCycleAsync), inMenu: false);
    }

    public async Task PreviewAsync(TurnContext turn, PreviewKind kind, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return;
        }

        var period = PreviewPeriod.Parse(turn.CommandArguments, registry.CurrentWeek);
        if (period is null)
        {
            await turn.SendTextAsync($"I could not read \"{CardText.Escape(turn.CommandArguments?.Trim())}\" as a period: give {PreviewPeriod.Hint}, or nothing for now.", ct);
            return;
        }

        var card = await previews.BuildAsync(kind, period, ct);
        await turn.SendTextAsync($"Preview of {RhythmPreviews.Describe(kind, period)}, for you only: nothing was posted.", ct);
        await turn.SendCardAsync(card, ct);
    }

    public async Task RunCycleAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return;
        }

        // The cycle's own entry point, as the scheduler calls it: every step is a conditional write, so running it
        // beside a scheduled tick does nothing twice.
        var report = await cycle.RunAsync(ct);
        await turn.SendTextAsync($"Check-in cycle run: {report}.", ct);
    }

    private async Task<bool> IsAdminAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await admins.IsAdminAsync(turn.Activity.From?.AadObjectId, ct))
        {
            await turn.SendTextAsync("Only ValueBot admins can preview digests and reviews or run the check-in cycle. Ask an admin to add you to Admin:TeamsAdmins.", ct);
            return false;
        }

        return true;
    }
}
