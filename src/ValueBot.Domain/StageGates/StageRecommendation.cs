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

    /// <summary>One sentence that says what the first rule found, so it never contradicts the figures beside it.</summary>
    public string Headline => (Recommendation, Reasons.Count > 0 ? Reasons[0].RuleId : null) switch
    {
        (Recommendation.Stop, StageGate.StopOwnerProposesId) =>
            "Stop — the owner proposes stopping: a healthy kill frees people and budget for what pays back.",
        (Recommendation.Stop, _) =>
            "Stop — a healthy kill: net value is negative and the stop-loss limits keep being breached.",
        (Recommendation.Redesign, StageGate.RedesignNegativeNetId) =>
            "Redesign — people use it, but net value has been negative week after week: fix how the work is done.",
        (Recommendation.Redesign, _) =>
            "Redesign — stop-loss limits breached weeks running: fix the workflow before going further.",
        (Recommendation.Scale, _) => "Scale — net value is proven week after week.",
        (_, StageGate.HoldUnclearAccountabilityId) => "Hold — accountability is unclear: it needs an owner who answers.",
        _ => KeepsCurrentStage
            ? "Hold — keep the current stage; not yet proven for scale."
            : "Hold — not enough evidence.",
    };
}
