using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Tests.Support;

/// <summary>What the check-in card sends: a complete, valid answer that a test changes where it needs to.</summary>
public static class CheckInInputs
{
    public static Dictionary<string, string?> Valid() => new()
    {
        [AnswerFields.ActiveUsers] = "50",
        [AnswerFields.Tasks] = "200",
        [AnswerFields.MinutesSavedPerTask] = "6",
        [AnswerFields.ReworkPercent] = "10",
        [AnswerFields.MinutesPerCorrection] = "5",
        [AnswerFields.Exceptions] = "4",
        [AnswerFields.QualityIncidents] = "0",
        [AnswerFields.ModelChanged] = "false",
        [AnswerFields.RunCostLicences] = "300",
        [AnswerFields.RunCostSupport] = "0",
        [AnswerFields.RunCostIntegration] = "0",
        [AnswerFields.BacklogShrinking] = "yes",
        [AnswerFields.ShareWin] = "false",
        [AnswerFields.OwnersCall] = "onTrack",
        [AnswerFields.ProposeStop] = "false",
    };

    /// <summary>The card's hidden data (use case and week) with <paramref name="inputs"/> merged in; null inputs are left out.</summary>
    public static JsonObject Data(Guid useCaseId, string week, IReadOnlyDictionary<string, string?> inputs)
    {
        var data = new JsonObject { [CheckInCard.UseCaseIdKey] = useCaseId.ToString("D"), [CheckInCard.WeekKey] = week };
        foreach (var (key, value) in inputs)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        return data;
    }
}
