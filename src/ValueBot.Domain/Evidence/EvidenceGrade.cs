namespace ValueBot.Domain.Evidence;

/// <summary>Where a number comes from. The first member is the default, so an answer that does not say is "estimated".</summary>
public enum EvidenceSource
{
    /// <summary>A sample, or a judgement with a basis.</summary>
    Estimated,

    /// <summary>A system or a count.</summary>
    Measured,

    Guessed,
}

/// <summary>How sure the owner is of a number. The first member is the default ("medium").</summary>
public enum EvidenceConfidence
{
    Medium,
    High,
    Low,
}

/// <summary>The evidence behind one figure of a weekly answer: its source and the owner's confidence.</summary>
public readonly record struct EvidenceGrade(EvidenceSource Source, EvidenceConfidence Confidence)
{
    /// <summary>What an answer that does not say is taken to be: estimated, medium.</summary>
    public static EvidenceGrade Unstated => new(EvidenceSource.Estimated, EvidenceConfidence.Medium);

    public static EvidenceGrade MeasuredHigh => new(EvidenceSource.Measured, EvidenceConfidence.High);

    public bool IsMeasured => Source == EvidenceSource.Measured;

    /// <summary>"measured, high confidence".</summary>
    public override string ToString() => $"{Word(Source)}, {Word(Confidence)} confidence";

    public static string Word(EvidenceSource source) => source switch
    {
        EvidenceSource.Measured => "measured",
        EvidenceSource.Guessed => "guessed",
        _ => "estimated",
    };

    public static string Word(EvidenceConfidence confidence) => confidence switch
    {
        EvidenceConfidence.High => "high",
        EvidenceConfidence.Low => "low",
        _ => "medium",
    };
}

/// <summary>Where the time AI freed went this week (optional on the card).</summary>
public enum FreedTime
{
    NotSaid,

    /// <summary>Reclaimed as capacity: less overtime, fewer hires, backlog cut.</summary>
    Capacity,

    /// <summary>Redeployed to other valued work.</summary>
    Redeployed,

    /// <summary>Absorbed: nobody can say where it went.</summary>
    Absorbed,
}
