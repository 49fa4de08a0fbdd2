using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;

namespace ValueBot.Web.Tests.Support;

/// <summary>An answer with every field of the check-in set to a value of its own: a read that drops or swaps a field shows.</summary>
public static class EveryFieldAnswer
{
    public static Answer With(int tasks) => new()
    {
        ActiveUsers = 70,
        Tasks = tasks,
        MinutesSavedPerTask = 6.25m,
        ReworkShare = 0.05m,
        MinutesPerCorrection = 4.5m,
        Exceptions = 3,
        QualityIncidents = 1,
        QualityIncidentNote = "one wrong IBAN",
        ModelChanged = true,
        ModelChangeNote = "new model in week 47",
        RunCost = new RunCost(new Money(120.10m, "EUR"), new Money(30m, "EUR"), new Money(0.05m, "EUR")),
        BacklogShrinking = BacklogShrinking.Yes,
        Win = "Month-end closed a day early",
        ShareWinWithLeadership = true,
        Blocker = "Waiting for SAP access",
        OwnersCall = OwnersCall.AtRisk,
        ProposesStopping = false,
        MinutesSavedEvidence = new EvidenceGrade(EvidenceSource.Measured, EvidenceConfidence.High),
        ActiveUsersEvidence = new EvidenceGrade(EvidenceSource.Guessed, EvidenceConfidence.Low),
        FreedTime = FreedTime.Redeployed,
        Outliers = [new Outlier("tasks-jump", "tasks tripled")],
        ModelAnswers = new Dictionary<string, ModelAnswer> { ["deflection"] = ModelAnswer.Of(0.3m), ["note"] = ModelAnswer.Of("pilot team only") },
    };
}
