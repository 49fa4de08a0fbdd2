namespace ValueBot.Domain.StageGates;

public enum Recommendation
{
    Scale,
    Redesign,
    Hold,
    Stop,
}

/// <summary>One rule that produced a recommendation, with the numbers behind it.</summary>
public sealed record GateReason(string RuleId, string Text);

/// <summary>What ValueBot recommends at the stage gate; a leader decides and records the decision.</summary>
public sealed record StageRecommendation(Recommendation Recommendation, IReadOnlyList<GateReason> Reasons)
{
    /// <summary>Stopping is shown as portfolio discipline, not as a failure to hide.</summary>
    public bool IsHealthyKill => Recommendation == Recommendation.Stop;

    /// <summary>The final "hold": keep the current stage, the use case is not yet proven for scale.</summary>
    public bool KeepsCurrentStage =>
        Recommendation == Recommendation.Hold && Reasons.Count > 0 && Reasons[0].RuleId == StageGate.NotYetProvenId;

    public string Headline => Recommendation switch
    {
        Recommendation.Stop => "Stop — a healthy kill: ending what does not pay back frees people and budget for what does.",
        Recommendation.Redesign => "Redesign — the use case is losing value; fix the workflow before going further.",
        Recommendation.Scale => "Scale — net value is proven week after week.",
        _ => KeepsCurrentStage
            ? "Hold — keep the current stage; not yet proven for scale."
            : "Hold — not enough evidence.",
    };
}
