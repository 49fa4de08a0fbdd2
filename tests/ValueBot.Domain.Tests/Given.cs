using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests;

/// <summary>
/// A use case with round numbers: N = 10 users, b = 20 min/task, h = 60 EUR/h, x = 30 min/exception,
/// d = 30 %, planned run cost 1,040 EUR/month = 240 EUR/week.
/// </summary>
internal static class Given
{
    public static readonly IsoWeek Week = IsoWeek.Create(2026, 10);

    public static Money Eur(decimal amount) => new(amount, "EUR");

    public static UseCase UseCase(Func<UseCase, UseCase>? change = null)
    {
        var useCase = new UseCase
        {
            Id = Guid.Parse("3f2b8c1e-0000-4000-8000-000000000001"),
            Name = "Invoice triage",
            ValueModel = ValueModel.ProcessReengineering,
            Owner = new PersonRef("aad-owner", "Olivia Owner"),
            TargetUsers = 10,
            Baseline = new Baseline(20m, 100m, Eur(60m), 0.05m, 30m),
            DeclaredPilotBenefit = 0.30m,
            PlannedRunCostPerMonth = Eur(1040m),
        };
        return change is null ? useCase : change(useCase);
    }

    /// <summary>
    /// T = 100, m = 6, r = 10 %, c = 10, E = 5, A = 6, R = 300 EUR: G 600, absorption 550, net 50. Minutes saved and
    /// active users are measured with high confidence, so the risk-adjusted figures equal the raw ones.
    /// </summary>
    public static Answer Answer(Func<Answer, Answer>? change = null)
    {
        var answer = new Answer
        {
            ActiveUsers = 6,
            Tasks = 100,
            MinutesSavedPerTask = 6m,
            ReworkShare = 0.10m,
            MinutesPerCorrection = 10m,
            Exceptions = 5,
            RunCost = new RunCost(Eur(200m), Eur(50m), Eur(50m)),
            MinutesSavedEvidence = EvidenceGrade.MeasuredHigh,
            ActiveUsersEvidence = EvidenceGrade.MeasuredHigh,
        };
        return change is null ? answer : change(answer);
    }

    /// <summary>A healthy week: adoption 80 %, rework 5 %, net value positive, cost within plan.</summary>
    public static Answer HealthyAnswer() => Answer(a => a with
    {
        ActiveUsers = 8,
        ReworkShare = 0.05m,
        RunCost = new RunCost(Eur(100m), Eur(50m), Eur(50m)),
    });

    public static Answer WithRunCost(this Answer answer, decimal total) =>
        answer with { RunCost = new RunCost(Eur(total), Eur(0m), Eur(0m)) };

    public static AnsweredWeek Answered(IsoWeek week, Answer answer, UseCase? useCase = null) =>
        AnsweredWeek.Compute(useCase ?? UseCase(), week, answer);

    /// <summary>Consecutive answered weeks ending at <see cref="Week"/>, oldest first.</summary>
    public static AnsweredWeek[] AnsweredWeeks(params Answer[] answers)
    {
        var weeks = new AnsweredWeek[answers.Length];
        for (var i = 0; i < answers.Length; i++)
        {
            weeks[i] = Answered(Week.AddWeeks(i - answers.Length + 1), answers[i]);
        }

        return weeks;
    }

    /// <summary>Consecutive answered week records ending at <paramref name="last"/>.</summary>
    public static List<WeekRecord> History(IsoWeek last, params Answer[] answers)
    {
        var records = new List<WeekRecord>();
        for (var i = 0; i < answers.Length; i++)
        {
            records.Add(WeekRecord.Answered(last.AddWeeks(i - answers.Length + 1), answers[i]));
        }

        return records;
    }

    public static WeekRecord[] Statuses(IsoWeek last, params CheckInStatus[] statuses)
    {
        var records = new WeekRecord[statuses.Length];
        for (var i = 0; i < statuses.Length; i++)
        {
            var week = last.AddWeeks(i - statuses.Length + 1);
            records[i] = statuses[i] == CheckInStatus.Answered
                ? WeekRecord.Answered(week, Answer())
                : new WeekRecord(week, statuses[i], null);
        }

        return records;
    }
}
