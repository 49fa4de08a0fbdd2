using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Web.Persistence.Migrations;

namespace ValueBot.Web.UseCases;

/// <summary>
/// One check-in week as the readers see it: <c>check_ins</c> joined with its typed <c>weekly_figures</c> (migration 16),
/// so an answer is assembled from columns, not parsed from JSON. Read with <see cref="Select"/>.
/// </summary>
public sealed class WeeklyFiguresRow
{
    public string UseCaseId { get; set; } = "";

    public string Week { get; set; } = "";

    public string Status { get; set; } = "";

    public string? UndeliverableReason { get; set; }

    public string? AnsweredBy { get; set; }

    public DateTime? AnsweredAt { get; set; }

    /// <summary>Non-null when the week has figures (a readable answer).</summary>
    public string? FiguresOf { get; set; }

    public long? ActiveUsers { get; set; }

    public long? Tasks { get; set; }

    public decimal? MinutesSavedPerTask { get; set; }

    public decimal? ReworkShare { get; set; }

    public decimal? MinutesPerCorrection { get; set; }

    public long? Exceptions { get; set; }

    public long? QualityIncidents { get; set; }

    public string? QualityIncidentNote { get; set; }

    public bool? ModelChanged { get; set; }

    public string? ModelChangeNote { get; set; }

    public decimal? RunCostLicences { get; set; }

    public decimal? RunCostSupport { get; set; }

    public decimal? RunCostIntegration { get; set; }

    public string? Currency { get; set; }

    public string? BacklogShrinking { get; set; }

    public string? Win { get; set; }

    public bool? ShareWin { get; set; }

    public string? Blocker { get; set; }

    public string? OwnersCall { get; set; }

    public bool? ProposesStopping { get; set; }

    public string? MinutesSavedSource { get; set; }

    public string? MinutesSavedConfidence { get; set; }

    public string? ActiveUsersSource { get; set; }

    public string? ActiveUsersConfidence { get; set; }

    public string? FreedTime { get; set; }

    public string? Outliers { get; set; }

    public string? ModelAnswers { get; set; }

    /// <summary>
    /// The select list and join for <c>check_ins c</c>: every column of this row (named in snake_case, as EF's naming
    /// convention maps this row's properties), the figures from <c>weekly_figures f</c>.
    /// Append a WHERE on <c>c.</c> columns.
    /// </summary>
    public static string Select { get; } = $"""
        SELECT c.use_case_id, c.week, c.status, c.undeliverable_reason, c.answered_by, c.answered_at, f.use_case_id AS figures_of,
               {string.Join(", ", M0016_WeeklyFigures.Columns.Select(col => $"f.{col.Column} AS {col.Column}"))}
        FROM check_ins c LEFT JOIN weekly_figures f ON f.use_case_id = c.use_case_id AND f.week = c.week
        """;

    /// <summary>
    /// The weeks matching <paramref name="where"/> (a constant condition on <c>c.</c> columns with <c>{0}</c>-style
    /// placeholders, sent as parameters), with their figures.
    /// </summary>
    public static IQueryable<WeeklyFiguresRow> Query(DatabaseFacade database, string where, params object[] arguments) =>
        database.SqlQuery<WeeklyFiguresRow>(FormattableStringFactory.Create(
            where.Length == 0 ? Select : Select + " WHERE " + where, arguments));

    /// <summary>
    /// Fills this row from the current row of <paramref name="reader"/>, a reader over <see cref="Select"/>: for readers
    /// of many rows that keep one row object instead of materialising one per row.
    /// </summary>
    public void ReadFrom(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        UseCaseId = reader.GetString(0);
        Week = reader.GetString(1);
        Status = reader.GetString(2);
        UndeliverableReason = Text(reader, 3);
        AnsweredBy = Text(reader, 4);
        AnsweredAt = reader.IsDBNull(5) ? null : reader.GetDateTime(5);
        FiguresOf = Text(reader, 6);
        // The figure columns follow in M0016_WeeklyFigures.Columns' order, as Select lists them.
        var i = 7;
        ActiveUsers = Integer(reader, i++);
        Tasks = Integer(reader, i++);
        MinutesSavedPerTask = Number(reader, i++);
        ReworkShare = Number(reader, i++);
        MinutesPerCorrection = Number(reader, i++);
        Exceptions = Integer(reader, i++);
        QualityIncidents = Integer(reader, i++);
        QualityIncidentNote = Text(reader, i++);
        ModelChanged = Flag(reader, i++);
        ModelChangeNote = Text(reader, i++);
        RunCostLicences = Number(reader, i++);
        RunCostSupport = Number(reader, i++);
        RunCostIntegration = Number(reader, i++);
        Currency = Text(reader, i++);
        BacklogShrinking = Text(reader, i++);
        Win = Text(reader, i++);
        ShareWin = Flag(reader, i++);
        Blocker = Text(reader, i++);
        OwnersCall = Text(reader, i++);
        ProposesStopping = Flag(reader, i++);
        MinutesSavedSource = Text(reader, i++);
        MinutesSavedConfidence = Text(reader, i++);
        ActiveUsersSource = Text(reader, i++);
        ActiveUsersConfidence = Text(reader, i++);
        FreedTime = Text(reader, i++);
        Outliers = Text(reader, i++);
        ModelAnswers = Text(reader, i);

        static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
        static long? Integer(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
        static decimal? Number(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
        static bool? Flag(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);
    }

    /// <summary>
    /// The answer the figures hold, or null when there are none or they are incomplete — exactly when reading the
    /// stored JSON would have found no readable answer.
    /// </summary>
    public Answer? ToAnswer()
    {
        if (FiguresOf is null || ActiveUsers is not { } activeUsers || Tasks is not { } tasks || MinutesSavedPerTask is not { } minutes
            || ReworkShare is not { } rework || Currency is not { } currency
            || !TryEnum(BacklogShrinking, Domain.CheckIns.BacklogShrinking.NotMeasured, out var backlog)
            || !TryEnum(OwnersCall, Domain.CheckIns.OwnersCall.OnTrack, out var call)
            || !TryEnum(MinutesSavedSource, EvidenceSource.Estimated, out var minutesSource)
            || !TryEnum(MinutesSavedConfidence, EvidenceConfidence.Medium, out var minutesConfidence)
            || !TryEnum(ActiveUsersSource, EvidenceSource.Estimated, out var usersSource)
            || !TryEnum(ActiveUsersConfidence, EvidenceConfidence.Medium, out var usersConfidence)
            || !TryEnum(FreedTime, Domain.Evidence.FreedTime.NotSaid, out var freed))
        {
            return null;
        }

        try
        {
            return new Answer
            {
                ActiveUsers = checked((int)activeUsers),
                Tasks = checked((int)tasks),
                MinutesSavedPerTask = minutes,
                ReworkShare = rework,
                MinutesPerCorrection = MinutesPerCorrection ?? 0m,
                Exceptions = checked((int)(Exceptions ?? 0)),
                QualityIncidents = checked((int)(QualityIncidents ?? 0)),
                QualityIncidentNote = QualityIncidentNote,
                ModelChanged = ModelChanged ?? false,
                ModelChangeNote = ModelChangeNote,
                RunCost = new RunCost(
                    new Money(RunCostLicences ?? 0m, currency), new Money(RunCostSupport ?? 0m, currency), new Money(RunCostIntegration ?? 0m, currency)),
                BacklogShrinking = backlog,
                Win = Win,
                ShareWinWithLeadership = ShareWin ?? false,
                Blocker = Blocker,
                OwnersCall = call,
                ProposesStopping = ProposesStopping ?? false,
                MinutesSavedEvidence = new EvidenceGrade(minutesSource, minutesConfidence),
                ActiveUsersEvidence = new EvidenceGrade(usersSource, usersConfidence),
                FreedTime = freed,
                // Rare, so kept as JSON fragments; the common empty ones are not parsed at all.
                Outliers = Outliers is null or "[]" ? [] : JsonSerializer.Deserialize<List<Outlier>>(Outliers, AnswerJson.Options) ?? [],
                ModelAnswers = ModelAnswers is null or "{}"
                    ? new Dictionary<string, ModelAnswer>()
                    : JsonSerializer.Deserialize<Dictionary<string, ModelAnswer>>(ModelAnswers, AnswerJson.Options) ?? new Dictionary<string, ModelAnswer>(),
            };
        }
        catch (Exception e) when (e is JsonException or OverflowException)
        {
            return null;
        }
    }

    private static bool TryEnum<T>(string? text, T fallback, out T value)
        where T : struct, Enum
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
