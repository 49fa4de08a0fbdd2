using ValueBot.Domain.CheckIns;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests.CheckIns;

public class AnswerValidatorTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        [AnswerFields.ActiveUsers] = "6",
        [AnswerFields.Tasks] = "100",
        [AnswerFields.MinutesSavedPerTask] = "6",
        [AnswerFields.ReworkPercent] = "12.5",
        [AnswerFields.MinutesPerCorrection] = "10",
        [AnswerFields.Exceptions] = "5",
        [AnswerFields.RunCostLicences] = "200",
        [AnswerFields.RunCostSupport] = "50",
        [AnswerFields.RunCostIntegration] = "50",
        [AnswerFields.BacklogShrinking] = "no",
        [AnswerFields.OwnersCall] = "atRisk",
    };

    private static AnswerValidationResult Validate(Dictionary<string, string?> raw, UseCase? useCase = null) =>
        AnswerValidator.Validate(useCase ?? Given.UseCase(), raw);

    private static string ErrorFor(Dictionary<string, string?> raw, string field) =>
        Assert.Single(Validate(raw).Errors, e => e.Field == field).Message;

    [Fact]
    public void TurnsValidValuesIntoAnAnswer()
    {
        var result = Validate(Valid());

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        var answer = result.Answer!;
        Assert.Equal(6, answer.ActiveUsers);
        Assert.Equal(100, answer.Tasks);
        Assert.Equal(0.125m, answer.ReworkShare);
        Assert.Equal(Given.Eur(300m), answer.RunCost.Total);
        Assert.Equal(BacklogShrinking.No, answer.BacklogShrinking);
        Assert.Equal(OwnersCall.AtRisk, answer.OwnersCall);
        Assert.False(answer.ModelChanged);
    }

    [Fact]
    public void RequiresTheCoreFiguresAndStoresNothing()
    {
        var result = Validate(new Dictionary<string, string?>());

        Assert.Null(result.Answer);
        Assert.Equal(
            [AnswerFields.ActiveUsers, AnswerFields.Tasks, AnswerFields.MinutesSavedPerTask, AnswerFields.ReworkPercent,
                AnswerFields.Exceptions, AnswerFields.OwnersCall],
            result.Errors.Select(e => e.Field));
        Assert.Equal("Enter the number of active users this week (0 if none).", result.Errors[0].Message);
    }

    [Fact]
    public void ActiveUsersMustBeAWholeNumberOfZeroOrMore()
    {
        var raw = Valid();
        raw[AnswerFields.ActiveUsers] = "-1";

        Assert.Equal("The number of active users must be a whole number of 0 or more.", ErrorFor(raw, AnswerFields.ActiveUsers));
    }

    [Fact]
    public void ActiveUsersAboveTheTargetPopulationAreAccepted()
    {
        var raw = Valid();
        raw[AnswerFields.ActiveUsers] = "25";

        Assert.Equal(25, Validate(raw).Answer!.ActiveUsers);
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-5")]
    [InlineData("lots")]
    public void ReworkIsAPercentageFromZeroToHundred(string value)
    {
        var raw = Valid();
        raw[AnswerFields.ReworkPercent] = value;

        Assert.Equal("The rework must be a percentage from 0 to 100.", ErrorFor(raw, AnswerFields.ReworkPercent));
    }

    [Fact]
    public void AcceptsAPercentSignAndADecimalComma()
    {
        var raw = Valid();
        raw[AnswerFields.ReworkPercent] = "7,5 %";
        raw[AnswerFields.MinutesSavedPerTask] = "4,25";

        var answer = Validate(raw).Answer!;

        Assert.Equal(0.075m, answer.ReworkShare);
        Assert.Equal(4.25m, answer.MinutesSavedPerTask);
    }

    [Fact]
    public void MinutesSavedMustBeANumber()
    {
        var raw = Valid();
        raw[AnswerFields.MinutesSavedPerTask] = "a few";

        Assert.Equal("The minutes saved per task must be a number, like 12 or 7.5.", ErrorFor(raw, AnswerFields.MinutesSavedPerTask));
    }

    [Fact]
    public void NegativeMinutesSavedAreRefusedWithAHint()
    {
        var raw = Valid();
        raw[AnswerFields.MinutesSavedPerTask] = "-3";

        Assert.Equal("The minutes saved per task must be between 0 and 10,000. If AI made tasks slower, enter 0 and describe it as a blocker.",
            ErrorFor(raw, AnswerFields.MinutesSavedPerTask));
    }

    [Fact]
    public void MinutesPerCorrectionAreRequiredOnlyWhenThereIsRework()
    {
        var raw = Valid();
        raw.Remove(AnswerFields.MinutesPerCorrection);

        Assert.Equal("Enter the minutes per correction.", ErrorFor(raw, AnswerFields.MinutesPerCorrection));

        raw[AnswerFields.ReworkPercent] = "0";
        Assert.True(Validate(raw).IsValid);
    }

    [Fact]
    public void QualityIncidentsNeedANote()
    {
        var raw = Valid();
        raw[AnswerFields.QualityIncidents] = "2";

        Assert.Equal("Add a short note on what went wrong in the quality incidents.", ErrorFor(raw, AnswerFields.QualityIncidentNote));
    }

    [Fact]
    public void SharingAWinNeedsTheWin()
    {
        var raw = Valid();
        raw[AnswerFields.ShareWin] = "true";

        Assert.Equal("Describe the win you want to share with leadership.", ErrorFor(raw, AnswerFields.Win));
    }

    [Fact]
    public void RefusesNegativeRunCost()
    {
        var raw = Valid();
        raw[AnswerFields.RunCostSupport] = "-10";

        Assert.Equal("The support cost must be between 0 and 1,000,000,000.", ErrorFor(raw, AnswerFields.RunCostSupport));
    }

    [Fact]
    public void RefusesAnUnknownOwnersCall()
    {
        var raw = Valid();
        raw[AnswerFields.OwnersCall] = "great";

        Assert.Equal("Pick one of the offered options for your call.", ErrorFor(raw, AnswerFields.OwnersCall));
    }

    [Fact]
    public void ReadsTheValueModelsOwnQuestions()
    {
        var raw = Valid();
        raw[AnswerFields.Model("endToEndCycleTimeHours")] = "36";

        var answer = Validate(raw).Answer!;

        Assert.Equal(ModelAnswer.Of(36m), answer.ModelAnswers["endToEndCycleTimeHours"]);
        Assert.False(answer.ModelAnswers.ContainsKey("exceptionResolutionHours"));
    }

    [Fact]
    public void StoresValueModelPercentagesAsFractions()
    {
        var useCase = Given.UseCase(u => u with { ValueModel = ValueModel.ExpertCapability });
        var raw = Valid();
        raw[AnswerFields.Model("expertErrorRate")] = "4";

        Assert.Equal(0.04m, Validate(raw, useCase).Answer!.ModelAnswers["expertErrorRate"].Number);
    }

    [Fact]
    public void ValidatesValueModelAnswers()
    {
        var raw = Valid();
        raw[AnswerFields.Model("endToEndCycleTimeHours")] = "-1";

        Assert.Equal("The End-to-end cycle time (hours) must be between 0 and 10,000.",
            ErrorFor(raw, AnswerFields.Model("endToEndCycleTimeHours")));
    }

    [Fact]
    public void FormValuesOfAnAnswerValidateBackToTheSameFigures()
    {
        var useCase = Given.UseCase(u => u with { ValueModel = ValueModel.ExpertCapability });
        var raw = Valid();
        raw[AnswerFields.Model("expertErrorRate")] = "4";
        var answer = Validate(raw, useCase).Answer!;

        var formValues = AnswerFields.ToFormValues(answer, useCase.ValueModel);
        var again = Validate(formValues.ToDictionary(p => p.Key, p => (string?)p.Value), useCase).Answer!;

        Assert.Equal("4", formValues[AnswerFields.Model("expertErrorRate")]);
        Assert.Equal(answer.ModelAnswers, again.ModelAnswers);
        Assert.Equal(answer with { ModelAnswers = again.ModelAnswers }, again);
    }

    [Fact]
    public void EveryValueModelAsksOneOrTwoQuestions()
    {
        foreach (var model in Enum.GetValues<ValueModel>())
        {
            Assert.InRange(ModelQuestions.For(model).Count, 1, 2);
        }
    }
}
