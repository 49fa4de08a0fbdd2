namespace ValueBot.Domain.UseCases;

/// <summary>The five ways an AI use case creates value; each adds its own check-in questions.</summary>
public enum ValueModel
{
    WorkforceEmpowerment,
    AiNativeDistribution,
    ExpertCapability,
    SystemsAndDependencyManagement,
    ProcessReengineering,
}

public enum Stage
{
    Pilot,
    Production,
    Scaling,
    Redesign,
    Hold,
    Stopped,
}

/// <summary>The P&amp;L line a use case is meant to move.</summary>
public enum PnlLine
{
    Cost,
    Revenue,
    Risk,
}
