namespace ValueBot.Web.Demo;

/// <summary>The demo portfolio settings (<c>Demo</c> section). Honoured only in local mode.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>The Agents Playground's default user, Alex Wilber.</summary>
    public const string PlaygroundUserAadObjectId = "00000000-0000-0000-0000-0000000000020";

    /// <summary>Seed the demo portfolio at start-up (<c>Demo:Seed=true</c>, or <c>run-local.sh --seed-demo</c>).</summary>
    public bool Seed { get; set; }

    /// <summary>Who owns the demo use cases that matter most (a breach, the healthy kill, cost drift): the playground user by default.</summary>
    public string OwnerAadObjectId { get; set; } = PlaygroundUserAadObjectId;

    public string OwnerDisplayName { get; set; } = "Alex Wilber";
}
