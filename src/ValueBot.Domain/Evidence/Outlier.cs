namespace ValueBot.Domain.Evidence;

/// <summary>One reason an answer is implausible; the owner confirmed it on the card, nobody else has.</summary>
public sealed record Outlier(string Code, string Reason)
{
    public const string MinutesAboveBaseline = "minutes-above-baseline";
    public const string MoreUsersThanTarget = "more-users-than-target";
    public const string TasksJump = "tasks-jump";
    public const string MinutesJump = "minutes-jump";
    public const string AllRework = "all-rework";
}
