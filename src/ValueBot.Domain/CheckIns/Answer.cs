using ValueBot.Domain.Evidence;

namespace ValueBot.Domain.CheckIns;

/// <summary>An owner's answer to one week's check-in. Shares are fractions (0.12 = 12 %).</summary>
public sealed record Answer
{
    /// <summary>A: active users this week.</summary>
    public required int ActiveUsers { get; init; }

    /// <summary>T: tasks handled with AI this week.</summary>
    public required int Tasks { get; init; }

    /// <summary>m: minutes saved per task, as observed in production.</summary>
    public required decimal MinutesSavedPerTask { get; init; }

    /// <summary>r: share of AI outputs that needed human correction (0–1).</summary>
    public required decimal ReworkShare { get; init; }

    /// <summary>c: minutes spent per correction.</summary>
    public decimal MinutesPerCorrection { get; init; }

    /// <summary>E: cases that needed a manual workaround or escalation.</summary>
    public int Exceptions { get; init; }

    public int QualityIncidents { get; init; }

    public string? QualityIncidentNote { get; init; }

    public bool ModelChanged { get; init; }

    public string? ModelChangeNote { get; init; }

    /// <summary>R: run cost this week.</summary>
    public required RunCost RunCost { get; init; }

    public BacklogShrinking BacklogShrinking { get; init; } = BacklogShrinking.NotMeasured;

    public string? Win { get; init; }

    public bool ShareWinWithLeadership { get; init; }

    public string? Blocker { get; init; }

    public OwnersCall OwnersCall { get; init; } = OwnersCall.OnTrack;

    public bool ProposesStopping { get; init; }

    /// <summary>Where the minutes saved per task come from and how sure the owner is (missing = estimated, medium).</summary>
    public EvidenceGrade MinutesSavedEvidence { get; init; } = EvidenceGrade.Unstated;

    /// <summary>Where the active users come from and how sure the owner is (missing = estimated, medium).</summary>
    public EvidenceGrade ActiveUsersEvidence { get; init; } = EvidenceGrade.Unstated;

    /// <summary>Where the freed time went; optional.</summary>
    public FreedTime FreedTime { get; init; } = FreedTime.NotSaid;

    /// <summary>
    /// Why the answer is implausible, as found when it was stored; the owner confirmed it on the card. Empty for a
    /// plausible answer. Shown as "unconfirmed outlier" in every view.
    /// </summary>
    public IReadOnlyList<Outlier> Outliers { get; init; } = [];

    public bool IsOutlier => Outliers.Count > 0;

    /// <summary>Answers to the value model's own questions, keyed by <see cref="ModelQuestion.Key"/>.</summary>
    public IReadOnlyDictionary<string, ModelAnswer> ModelAnswers { get; init; } =
        new Dictionary<string, ModelAnswer>();
}

/// <summary>The answer to one value-model question: a number (fractions for percentages) or a text.</summary>
public readonly record struct ModelAnswer(decimal? Number, string? Text)
{
    public static ModelAnswer Of(decimal number) => new(number, null);

    public static ModelAnswer Of(string text) => new(null, text);
}
