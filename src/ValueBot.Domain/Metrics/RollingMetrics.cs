using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;

namespace ValueBot.Domain.Metrics;

/// <summary>
/// "After 90 days": the three figures, each summed over the answered weeks among the last 13 ISO weeks.
/// With no answered week the figures are null ("no data"), never zero.
/// </summary>
public sealed record RollingMetrics
{
    public required IsoWeek From { get; init; }

    public required IsoWeek To { get; init; }

    public required int AnsweredWeeks { get; init; }

    public required Money? GrossValue { get; init; }

    public required Money? AbsorptionCost { get; init; }

    public required Money? NetValue { get; init; }

    /// <summary>Σ G′: the gross value believed by its evidence.</summary>
    public Money? AdjustedGrossValue { get; init; }

    /// <summary>Σ G′ − absorption cost: what the stage gate reads.</summary>
    public Money? AdjustedNetValue { get; init; }

    /// <summary>Σ G of the weeks whose minutes saved were measured.</summary>
    public Money? MeasuredGrossValue { get; init; }

    /// <summary>Share of the gross value that rests on measured minutes saved; null when there is no gross value.</summary>
    public decimal? MeasuredShare => GrossValue is { Amount: > 0m } g && MeasuredGrossValue is { } m ? m.Amount / g.Amount : null;

    public required decimal? HoursSaved { get; init; }

    public required int Tasks { get; init; }

    public static RollingMetrics Of(IsoWeek from, IsoWeek to, IEnumerable<AnsweredWeek> weeks)
    {
        var sum = new RollingSum();
        foreach (var week in weeks)
        {
            if (week.Week >= from && week.Week <= to)
            {
                sum.Add(week);
            }
        }

        return sum.ToMetrics(from, to);
    }
}

/// <summary>A running sum of answered weeks; a mutable struct so the evaluator allocates nothing per week.</summary>
internal struct RollingSum
{
    private int _answered;
    private int _tasks;
    private decimal _hours;
    private Money _gross;
    private Money _absorption;
    private Money _adjustedGross;
    private Money _measuredGross;
    private Money _translation;
    private Money _adoption;
    private Money _execution;
    private Money _control;
    private decimal _taskMinutesSaved;

    public readonly int Answered => _answered;

    public void Add(AnsweredWeek week)
    {
        var m = week.Metrics;
        var l = week.Leakage;
        if (_answered == 0)
        {
            _gross = m.GrossValue;
            _absorption = m.AbsorptionCost;
            _adjustedGross = m.AdjustedGrossValue;
            _measuredGross = week.Answer.MinutesSavedEvidence.IsMeasured ? m.GrossValue : Money.Zero(m.GrossValue.Currency);
            _translation = l.Translation;
            _adoption = l.Adoption;
            _execution = l.Execution;
            _control = l.Control;
        }
        else
        {
            _gross += m.GrossValue;
            _absorption += m.AbsorptionCost;
            _adjustedGross += m.AdjustedGrossValue;
            if (week.Answer.MinutesSavedEvidence.IsMeasured)
            {
                _measuredGross += m.GrossValue;
            }

            _translation += l.Translation;
            _adoption += l.Adoption;
            _execution += l.Execution;
            _control += l.Control;
        }

        _answered++;
        _tasks += week.Answer.Tasks;
        _hours += m.HoursSaved;
        _taskMinutesSaved += week.Answer.Tasks * week.Answer.MinutesSavedPerTask;
    }

    public readonly RollingMetrics ToMetrics(IsoWeek from, IsoWeek to) => new()
    {
        From = from,
        To = to,
        AnsweredWeeks = _answered,
        GrossValue = _answered > 0 ? _gross : null,
        AbsorptionCost = _answered > 0 ? _absorption : null,
        NetValue = _answered > 0 ? _gross - _absorption : null,
        AdjustedGrossValue = _answered > 0 ? _adjustedGross : null,
        AdjustedNetValue = _answered > 0 ? _adjustedGross - _absorption : null,
        MeasuredGrossValue = _answered > 0 ? _measuredGross : null,
        HoursSaved = _answered > 0 ? _hours : null,
        Tasks = _tasks,
    };

    public readonly LeakageSummary ToLeakage(
        decimal declaredBenefit, decimal baselineMinutes, int weeksWithoutData, int missed, int withoutOwner)
    {
        var any = _answered > 0;
        decimal? points = any && baselineMinutes > 0m && _tasks > 0
            ? declaredBenefit - _taskMinutesSaved / (baselineMinutes * _tasks)
            : null;
        return new LeakageSummary
        {
            AnsweredWeeks = _answered,
            TranslationPoints = points,
            Translation = any ? _translation : null,
            Adoption = any ? _adoption : null,
            Execution = any ? _execution : null,
            Control = any ? _control : null,
            WeeksWithoutData = weeksWithoutData,
            MissedCheckIns = missed,
            WeeksWithoutOwner = withoutOwner,
        };
    }
}
