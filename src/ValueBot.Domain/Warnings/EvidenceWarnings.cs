using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Warnings;

/// <summary>The rules of DOMAIN.md's "Evidence: how much to believe a figure".</summary>
public static partial class EarlyWarnings
{
    public const string StaleSignalId = "stale-signal";
    public const string ReportedNotMeasuredId = "reported-not-measured";
    public const string UnconfirmedOutlierId = "unconfirmed-outlier";
    public const string AdoptionDisputedId = "adoption-disputed";

    /// <summary>
    /// Savings without relief, either way it fires: minutes saved while the backlog is not shrinking in each of the
    /// last <paramref name="weeks"/> answered weeks, or at least <paramref name="absorbedShare"/> of the hours freed
    /// over the last <paramref name="absorbedWeeks"/> answered weeks reported "absorbed". The share is taken over the
    /// hours of the weeks that said where the time went; weeks that did not say are left out of it.
    /// </summary>
    public static Warning? SavingsWithoutRelief(ReadOnlySpan<AnsweredWeek> answered, int weeks, decimal absorbedShare, int absorbedWeeks)
    {
        var backlog = SavingsWithoutRelief(answered, weeks);
        var absorbed = AbsorbedShare(answered, absorbedWeeks) is { } share && share >= absorbedShare
            ? $"{Figures.Percent(share)} of the time freed in the last {absorbedWeeks} answered weeks was reported absorbed " +
              $"(nobody can say where it went; limit {Figures.Percent(absorbedShare)}): the saved hours are not reaching the P&L."
            : null;
        return (backlog, absorbed) switch
        {
            (null, null) => null,
            (not null, null) => backlog,
            (null, not null) => new Warning(SavingsWithoutReliefId, "Savings without relief", absorbed),
            _ => backlog with { Reason = backlog.Reason + " " + absorbed },
        };
    }

    /// <summary>Σ hours saved in weeks that said "absorbed" ÷ Σ hours saved in weeks that said where the time went.</summary>
    public static decimal? AbsorbedShare(ReadOnlySpan<AnsweredWeek> answered, int weeks)
    {
        if (weeks < 1 || answered.Length < weeks)
        {
            return null;
        }

        decimal stated = 0m, absorbed = 0m;
        foreach (var week in answered[^weeks..])
        {
            if (week.Answer.FreedTime == FreedTime.NotSaid)
            {
                continue;
            }

            stated += week.Metrics.HoursSaved;
            if (week.Answer.FreedTime == FreedTime.Absorbed)
            {
                absorbed += week.Metrics.HoursSaved;
            }
        }

        return stated > 0m ? absorbed / stated : null;
    }

    /// <summary>Every number of the answer equal in each of the last <paramref name="weeks"/> answered weeks.</summary>
    public static Warning? StaleSignal(ReadOnlySpan<AnsweredWeek> answered, int weeks)
    {
        if (weeks < 2 || answered.Length < weeks)
        {
            return null;
        }

        var window = answered[^weeks..];
        for (var i = 1; i < window.Length; i++)
        {
            if (!SameNumbers(window[i].Answer, window[0].Answer))
            {
                return null;
            }
        }

        return new Warning(StaleSignalId, "Stale signal",
            $"Stale signal — numbers may be copied forward: every number was the same in the last {weeks} answered weeks " +
            $"({window[0].Week} to {window[^1].Week}). Owner, please confirm they are still right.");
    }

    /// <summary>Every number of two answers equal (texts, flags and choices aside).</summary>
    public static bool SameNumbers(Answer a, Answer b)
    {
        if (a.ActiveUsers != b.ActiveUsers || a.Tasks != b.Tasks || a.MinutesSavedPerTask != b.MinutesSavedPerTask
            || a.ReworkShare != b.ReworkShare || a.MinutesPerCorrection != b.MinutesPerCorrection || a.Exceptions != b.Exceptions
            || a.QualityIncidents != b.QualityIncidents
            || a.RunCost.LicencesAndTokens.Amount != b.RunCost.LicencesAndTokens.Amount
            || a.RunCost.Support.Amount != b.RunCost.Support.Amount
            || a.RunCost.IntegrationAndMaintenance.Amount != b.RunCost.IntegrationAndMaintenance.Amount)
        {
            return false;
        }

        foreach (var (key, value) in a.ModelAnswers)
        {
            if (value.Number is { } number && (!b.ModelAnswers.TryGetValue(key, out var other) || other.Number != number))
            {
                return false;
            }
        }

        foreach (var (key, value) in b.ModelAnswers)
        {
            if (value.Number is not null && !a.ModelAnswers.ContainsKey(key))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The latest answered week's reported adoption more than <paramref name="maxGap"/> (a fraction: 0.15 = 15 points)
    /// away from the adoption Graph measured. Nothing to compare when the tenant conceals user names.
    /// </summary>
    public static Warning? ReportedNotMeasured(UseCase useCase, ReadOnlySpan<AnsweredWeek> answered, decimal maxGap)
    {
        if (answered.IsEmpty || useCase.TargetUsers < 1 || answered[^1].Measured?.ActiveUsers is not { } measured)
        {
            return null;
        }

        var latest = answered[^1];
        var n = (decimal)useCase.TargetUsers;
        var reported = latest.Answer.ActiveUsers / n;
        var measuredAdoption = measured / n;
        var gap = Math.Abs(reported - measuredAdoption);
        if (gap <= maxGap)
        {
            return null;
        }

        return new Warning(ReportedNotMeasuredId, "Reported ≠ measured",
            $"In week {latest.Week} the owner reported {latest.Answer.ActiveUsers} active users (adoption {Figures.Percent(reported)}) " +
            $"but Microsoft 365 Copilot usage shows {measured} (adoption {Figures.Percent(measuredAdoption)}): a gap of " +
            $"{Figures.Points(gap)} points, more than the {Figures.Points(maxGap)} allowed.");
    }

    /// <summary>The latest answered week is an implausible answer its owner confirmed and nobody else has.</summary>
    public static Warning? UnconfirmedOutlier(ReadOnlySpan<AnsweredWeek> answered)
    {
        if (answered.IsEmpty || !answered[^1].Answer.IsOutlier)
        {
            return null;
        }

        var latest = answered[^1];
        return new Warning(UnconfirmedOutlierId, "Unconfirmed outlier",
            $"Week {latest.Week} is an unconfirmed outlier: {string.Join(" ", latest.Answer.Outliers.Select(o => o.Reason))}");
    }

    /// <summary>The manager disputed the latest answered week's adoption figure (cleared when the owner answers again).</summary>
    public static Warning? AdoptionDisputed(UseCase useCase, ReadOnlySpan<AnsweredWeek> answered)
    {
        if (answered.IsEmpty || answered[^1].Review is not { Verdict: AdoptionVerdict.Disputed } review)
        {
            return null;
        }

        var latest = answered[^1];
        return new Warning(AdoptionDisputedId, "Adoption disputed",
            $"{review.ManagerName} disputed the adoption figure of week {latest.Week} ({latest.Answer.ActiveUsers} of " +
            $"{useCase.TargetUsers} target users); it stays disputed until the owner answers again.");
    }
}
