namespace ValueBot.Domain.Warnings;

/// <summary>An early warning: which rule fired and why, in plain language with the numbers.</summary>
public sealed record Warning(string RuleId, string Name, string Reason);
