using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.CheckIns;

public enum ModelQuestionKind
{
    /// <summary>A whole number, zero or more.</summary>
    Count,

    /// <summary>A number of hours, zero or more.</summary>
    Hours,

    /// <summary>Entered as 0–100 %, stored as a fraction.</summary>
    Percent,

    Text,
}

/// <summary>One question a value model adds to the weekly check-in. Always optional.</summary>
public sealed record ModelQuestion(string Key, string Label, ModelQuestionKind Kind);

/// <summary>The questions each of the five value models adds (DOMAIN.md, "the five value models").</summary>
public static class ModelQuestions
{
    private static readonly ModelQuestion[] WorkforceEmpowerment =
    [
        new("repeatUsers", "People who used it on 3 or more days this week", ModelQuestionKind.Count),
        new("workflowsShared", "Reusable workflows or prompts shared this week", ModelQuestionKind.Count),
    ];

    private static readonly ModelQuestion[] AiNativeDistribution =
    [
        new("qualifiedIntents", "Qualified intents (leads, requests) this week", ModelQuestionKind.Count),
        new("repeatOrReferralShare", "Share of users who came back or were referred (%)", ModelQuestionKind.Percent),
    ];

    private static readonly ModelQuestion[] ExpertCapability =
    [
        new("expertCycleTimeHours", "Cycle time at the expert bottleneck (hours)", ModelQuestionKind.Hours),
        new("expertErrorRate", "Error rate found by expert review (%)", ModelQuestionKind.Percent),
    ];

    private static readonly ModelQuestion[] SystemsAndDependencyManagement =
    [
        new("timeToSafeChangeHours", "Time to make a safe change (hours)", ModelQuestionKind.Hours),
        new("openAuditFindings", "Open audit findings", ModelQuestionKind.Count),
    ];

    private static readonly ModelQuestion[] ProcessReengineering =
    [
        new("endToEndCycleTimeHours", "End-to-end cycle time (hours)", ModelQuestionKind.Hours),
        new("exceptionResolutionHours", "Average time to resolve an exception (hours)", ModelQuestionKind.Hours),
    ];

    public static IReadOnlyList<ModelQuestion> For(ValueModel model) => model switch
    {
        ValueModel.WorkforceEmpowerment => WorkforceEmpowerment,
        ValueModel.AiNativeDistribution => AiNativeDistribution,
        ValueModel.ExpertCapability => ExpertCapability,
        ValueModel.SystemsAndDependencyManagement => SystemsAndDependencyManagement,
        ValueModel.ProcessReengineering => ProcessReengineering,
        _ => [],
    };
}
