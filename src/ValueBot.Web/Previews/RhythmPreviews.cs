using System.Globalization;
using Microsoft.Extensions.Options;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Teams.Cards;
using ValueBot.Web.Digests;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Previews;

/// <summary>What a preview is of: the weekly leadership digest, the monthly financial review or the quarterly stage-gate review.</summary>
public enum PreviewKind
{
    Weekly,
    Monthly,
    Quarterly,
}

/// <summary>A preview's period, read from what an admin typed: a week ("2026-W10") or, for the monthly review, a month ("2026-02").</summary>
public sealed record PreviewPeriod(IsoWeek Week, DateOnly Month)
{
    /// <summary>
    /// Empty means now: this week, and the month the next monthly review would cover (the one before this). A week
    /// given for the monthly review means the month its Monday falls in. Null when <paramref name="text"/> is neither.
    /// </summary>
    public static PreviewPeriod? Parse(string? text, IsoWeek currentWeek)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            var start = currentWeek.Start;
            return new PreviewPeriod(currentWeek, new DateOnly(start.Year, start.Month, 1).AddMonths(-1));
        }

        if (IsoWeek.TryParse(trimmed.ToUpperInvariant(), out var week))
        {
            return new PreviewPeriod(week, new DateOnly(week.Start.Year, week.Start.Month, 1));
        }

        if (DateOnly.TryParseExact(trimmed, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            var first = new DateOnly(month.Year, month.Month, 1);
            // The month's last week, so that the 90-day history the review reads covers the whole month.
            return new PreviewPeriod(IsoWeek.FromDate(first.AddMonths(1).AddDays(-1)), first);
        }

        return null;
    }

    public const string Hint = "a week like 2026-W10 or, for the monthly review, a month like 2026-02";
}

/// <summary>
/// The cards the schedule would post, built for any period and sent only to whoever asked: admins see the rhythm of
/// digests and reviews without waiting for the calendar. Nothing is queued, posted or recorded.
/// </summary>
public sealed class RhythmPreviews(DigestStore store, DigestPublisher publisher, UseCaseRegistry registry, IOptions<DigestOptions> options)
{
    public async Task<AdaptiveCard> BuildAsync(PreviewKind kind, PreviewPeriod period, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case PreviewKind.Monthly:
            {
                var snapshot = await store.LoadAsync(period.Week, cancellationToken);
                return DigestCards.Monthly(DigestComposer.Monthly(snapshot.UseCases, period.Month, registry.OrganisationPolicy), options.Value);
            }

            case PreviewKind.Quarterly:
                return await publisher.QuarterlyReviewCardAsync(period.Week, cancellationToken);

            default:
            {
                var snapshot = await store.LoadAsync(period.Week, cancellationToken);
                var lines = DigestComposer.Lines(snapshot.UseCases, period.Week, registry.OrganisationPolicy);
                var stopped = await store.StoppedDuringAsync(period.Week, cancellationToken);
                return DigestCards.Leadership(DigestComposer.ForLeadership(lines, period.Week, stopped), options.Value);
            }
        }
    }

    public static string Describe(PreviewKind kind, PreviewPeriod period) => kind switch
    {
        PreviewKind.Monthly => $"the monthly financial review of {period.Month.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}",
        PreviewKind.Quarterly => $"the quarterly stage-gate review as of week {period.Week}",
        _ => $"the leadership digest of week {period.Week}",
    };
}
