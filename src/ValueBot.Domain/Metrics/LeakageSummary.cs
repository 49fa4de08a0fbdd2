using ValueBot.Domain.Common;

namespace ValueBot.Domain.Metrics;

/// <summary>Value leakage summed over the answered weeks of a window, plus the control counts.</summary>
public sealed record LeakageSummary
{
    public required int AnsweredWeeks { get; init; }

    /// <summary>d − o with o weighted by tasks over the window (Σ T·m ÷ (b · Σ T)); null when not defined.</summary>
    public required decimal? TranslationPoints { get; init; }

    public required Money? Translation { get; init; }

    public required Money? Adoption { get; init; }

    public required Money? Execution { get; init; }

    /// <summary>Run cost above plan, summed.</summary>
    public required Money? Control { get; init; }

    public Money? Total => Translation is { } t && Adoption is { } a && Execution is { } e && Control is { } c
        ? t + a + e + c
        : null;

    /// <summary>Closed weeks since launch in the window with no answer (missed, skipped, undeliverable, unrecorded).</summary>
    public required int WeeksWithoutData { get; init; }

    public required int MissedCheckIns { get; init; }

    public required int WeeksWithoutOwner { get; init; }
}
