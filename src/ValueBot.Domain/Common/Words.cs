using System.Globalization;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Common;

/// <summary>How people read the domain's choices and counts on a card (the API keeps its camelCase names).</summary>
public static class Words
{
    public static string Of(ValueModel model) => model switch
    {
        ValueModel.WorkforceEmpowerment => "Workforce empowerment",
        ValueModel.AiNativeDistribution => "AI-native distribution",
        ValueModel.ExpertCapability => "Expert capability",
        ValueModel.SystemsAndDependencyManagement => "Systems and dependency management",
        ValueModel.ProcessReengineering => "Process re-engineering",
        _ => model.ToString(),
    };

    public static string Of(Stage stage) => stage switch
    {
        Stage.Pilot => "Pilot",
        Stage.Production => "Production",
        Stage.Scaling => "Scaling",
        Stage.Redesign => "Redesign",
        Stage.Hold => "On hold",
        Stage.Stopped => "Stopped",
        _ => stage.ToString(),
    };

    public static string Of(Recommendation recommendation) => recommendation switch
    {
        Recommendation.Scale => "Scale",
        Recommendation.Redesign => "Redesign",
        Recommendation.Hold => "Hold",
        Recommendation.Stop => "Stop",
        _ => recommendation.ToString(),
    };

    public static string Of(PnlLine line) => line switch
    {
        PnlLine.Cost => "Cost",
        PnlLine.Revenue => "Revenue",
        PnlLine.Risk => "Risk",
        _ => line.ToString(),
    };

    /// <summary>"1 week", "3 weeks", "1,200 use cases"; <paramref name="plural"/> when adding "s" is wrong.</summary>
    public static string Count(int n, string noun, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:#,0} {(n == 1 ? noun : plural ?? noun + "s")}");
}
