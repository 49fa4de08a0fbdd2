using ValueBot.Domain.CheckIns;

namespace ValueBot.Domain.Tests.CheckIns;

/// <summary>Numbers as people type them: a comma or a point marks the decimals; thousands separators are refused.</summary>
public class EnteredNumberTests
{
    [Theory]
    [InlineData("12,5", "12.5")]
    [InlineData("12.5", "12.5")]
    [InlineData(" 7,25 ", "7.25")]
    [InlineData("1234", "1234")]
    [InlineData("1234,5", "1234.5")]
    [InlineData("1234.50", "1234.5")]
    [InlineData("0,125", "0.125")]
    [InlineData("1,2345", "1.2345")]
    [InlineData(",5", "0.5")]
    [InlineData("5.", "5")]
    [InlineData("-3", "-3")]
    [InlineData("12345,678", "12345.678")]
    public void ReadsOneSeparatorAsTheDecimalsAndShowsTheNumberBackAsRead(string typed, string shown)
    {
        Assert.True(EnteredNumber.TryParse(typed, out var value, out var problem));
        Assert.Equal(EnteredNumberProblem.None, problem);
        Assert.Equal(shown, EnteredNumber.Format(value));
    }

    [Theory]
    [InlineData("1,234.5")]
    [InlineData("1.234,5")]
    [InlineData("1,234,567")]
    [InlineData("1 234")]
    [InlineData("1\u00A0234,5")]
    [InlineData("1'234")]
    [InlineData("1,234")]
    [InlineData("12.500")]
    [InlineData("-1,234")]
    public void RefusesThousandsSeparatorsAndALoneSeparatorBeforeThreeDigits(string typed)
    {
        Assert.False(EnteredNumber.TryParse(typed, out _, out var problem));
        Assert.Equal(EnteredNumberProblem.Ambiguous, problem);
    }

    [Theory]
    [InlineData("a few")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(",")]
    [InlineData("12abc")]
    [InlineData("1e3")]
    [InlineData(null)]
    public void RefusesWhatIsNoNumber(string? typed)
    {
        Assert.False(EnteredNumber.TryParse(typed, out _, out var problem));
        Assert.Equal(EnteredNumberProblem.NotANumber, problem);
    }

    [Fact]
    public void TheValidatorReadsADecimalCommaAsTheCardShowsIt()
    {
        var raw = new Dictionary<string, string?>
        {
            [AnswerFields.ActiveUsers] = "6", [AnswerFields.Tasks] = "100", [AnswerFields.MinutesSavedPerTask] = "12,5",
            [AnswerFields.ReworkPercent] = "7,5 %", [AnswerFields.MinutesPerCorrection] = "10", [AnswerFields.Exceptions] = "5",
            [AnswerFields.RunCostLicences] = "1234,56", [AnswerFields.OwnersCall] = "onTrack",
        };

        var answer = AnswerValidator.Validate(Given.UseCase(), raw).Answer!;

        Assert.Equal(12.5m, answer.MinutesSavedPerTask);
        Assert.Equal(0.075m, answer.ReworkShare);
        Assert.Equal(1234.56m, answer.RunCost.LicencesAndTokens.Amount);
        var shown = AnswerFields.ToFormValues(answer, Given.UseCase().ValueModel);
        Assert.Equal("12.5", shown[AnswerFields.MinutesSavedPerTask]);
        Assert.Equal("7.5", shown[AnswerFields.ReworkPercent]);
        Assert.Equal("1234.56", shown[AnswerFields.RunCostLicences]);
    }

    [Theory]
    [InlineData(AnswerFields.RunCostLicences, "1,234.5", "“1,234.5” for the licence and token cost could be read two ways")]
    [InlineData(AnswerFields.Tasks, "1,200", "“1,200” for the tasks handled with AI could be read two ways")]
    [InlineData(AnswerFields.ReworkPercent, "1.000 %", "“1.000” for the rework could be read two ways")]
    public void TheValidatorSaysHowToWriteAnAmbiguousNumber(string field, string typed, string message)
    {
        var raw = new Dictionary<string, string?>
        {
            [AnswerFields.ActiveUsers] = "6", [AnswerFields.Tasks] = "100", [AnswerFields.MinutesSavedPerTask] = "6",
            [AnswerFields.ReworkPercent] = "0", [AnswerFields.Exceptions] = "5", [AnswerFields.OwnersCall] = "onTrack",
        };
        raw[field] = typed;

        var result = AnswerValidator.Validate(Given.UseCase(), raw);

        Assert.Null(result.Answer);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("like 1234 or 1234.5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12,5")]
    [InlineData("2.5")]
    public void AWholeNumberIsRefusedWithDecimals(string typed)
    {
        var raw = new Dictionary<string, string?>
        {
            [AnswerFields.ActiveUsers] = typed, [AnswerFields.Tasks] = "100", [AnswerFields.MinutesSavedPerTask] = "6",
            [AnswerFields.ReworkPercent] = "0", [AnswerFields.Exceptions] = "5", [AnswerFields.OwnersCall] = "onTrack",
        };

        var error = Assert.Single(AnswerValidator.Validate(Given.UseCase(), raw).Errors);

        Assert.Equal("The number of active users must be a whole number of 0 or more.", error.Message);
    }
}
