namespace ValueBot.Web.Digests;

/// <summary>Digest settings (section <c>Digests</c>).</summary>
public sealed class DigestOptions
{
    public const string SectionName = "Digests";

    /// <summary>Where "see the full list" points (for example a report in your BI tool); optional.</summary>
    public string? FullListUrl { get; set; }

    /// <summary>The sentence after "…and 37 more at risk." when the list is cut.</summary>
    public string FullListHint { get; set; } = "The full list is in the metrics export (GET /api/admin/metrics/export).";
}
