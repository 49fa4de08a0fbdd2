using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests.Evidence;

/// <summary>Source, confidence and where the freed time went, as the card sends them.</summary>
public class EvidenceAnswerTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        [AnswerFields.ActiveUsers] = "6",
        [AnswerFields.Tasks] = "100",
        [AnswerFields.MinutesSavedPerTask] = "6",
        [AnswerFields.ReworkPercent] = "10",
        [AnswerFields.MinutesPerCorrection] = "10",
        [AnswerFields.Exceptions] = "5",
        [AnswerFields.OwnersCall] = "onTrack",
    };

    [Fact]
    public void ReadsSourceConfidenceAndFreedTime()
    {
        var raw = Valid();
        raw[AnswerFields.MinutesSavedSource] = "measured";
        raw[AnswerFields.MinutesSavedConfidence] = "high";
        raw[AnswerFields.ActiveUsersSource] = "guessed";
        raw[AnswerFields.ActiveUsersConfidence] = "low";
        raw[AnswerFields.FreedTime] = "absorbed";

        var answer = AnswerValidator.Validate(Given.UseCase(), raw).Answer!;

        Assert.Equal(EvidenceGrade.MeasuredHigh, answer.MinutesSavedEvidence);
        Assert.Equal(new EvidenceGrade(EvidenceSource.Guessed, EvidenceConfidence.Low), answer.ActiveUsersEvidence);
        Assert.Equal(FreedTime.Absorbed, answer.FreedTime);
    }

    [Fact]
    public void LeftOutTheyAreEstimatedMediumAndNotSaid()
    {
        var answer = AnswerValidator.Validate(Given.UseCase(), Valid()).Answer!;

        Assert.Equal(EvidenceGrade.Unstated, answer.MinutesSavedEvidence);
        Assert.Equal(EvidenceGrade.Unstated, answer.ActiveUsersEvidence);
        Assert.Equal(FreedTime.NotSaid, answer.FreedTime);
    }

    [Fact]
    public void AnUnknownChoiceIsAnErrorAndNothingIsAnswered()
    {
        var raw = Valid();
        raw[AnswerFields.MinutesSavedSource] = "vibes";
        raw[AnswerFields.FreedTime] = "beach";

        var result = AnswerValidator.Validate(Given.UseCase(), raw);

        Assert.Null(result.Answer);
        Assert.Equal([AnswerFields.MinutesSavedSource, AnswerFields.FreedTime], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void LastWeeksSourceAndConfidencePrefillTheCard()
    {
        var answer = Given.Answer(a => a with { ActiveUsersEvidence = new(EvidenceSource.Guessed, EvidenceConfidence.Low) });

        var values = AnswerFields.ToFormValues(answer, ValueModel.ProcessReengineering);

        Assert.Equal("measured", values[AnswerFields.MinutesSavedSource]);
        Assert.Equal("high", values[AnswerFields.MinutesSavedConfidence]);
        Assert.Equal("guessed", values[AnswerFields.ActiveUsersSource]);
        Assert.Equal("low", values[AnswerFields.ActiveUsersConfidence]);
        Assert.False(values.ContainsKey(AnswerFields.FreedTime)); // a weekly choice, not carried forward
    }
}
