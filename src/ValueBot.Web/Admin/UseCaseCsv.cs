using System.Globalization;
using System.Text;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.Scheduling;
using ValueBot.Domain.UseCases;

namespace ValueBot.Web.Admin;

/// <summary>One problem in an imported file, with the line it is on (the header is line 1).</summary>
public sealed record CsvLineError(int Line, string Field, string Message);

/// <summary>
/// The registry as CSV: one use case per row, choices in camelCase, shares as fractions, numbers in invariant
/// culture. What <see cref="Write"/> produces, <see cref="Read"/> reads back to the same use cases.
/// </summary>
public static class UseCaseCsv
{
    public static readonly string[] Columns =
    [
        "id", "name", "description", "valueModel", "stage",
        "ownerAadObjectId", "ownerDisplayName", "delegateAadObjectId", "delegateDisplayName", "sponsorAadObjectId", "sponsorDisplayName",
        "orgUnit", "workflow", "pnlLine", "successCriteria", "launchDate", "targetUsers", "currency",
        "baselineMinutesPerTask", "baselineTasksPerWeek", "hourlyCost", "baselineReworkRate", "minutesPerException",
        "declaredPilotBenefit", "plannedRunCostPerMonth", "maxReworkRate", "minAdoption", "maxExceptionRate",
        "checkInDay", "checkInTime", "retired",
        // The rule parameters a use case overrides; empty follows the organisation (as do the stop-loss columns).
        .. PolicyParameters.Rules.Select(p => p.Name),
    ];

    public static string Write(IEnumerable<UseCase> useCases)
    {
        var text = new StringBuilder();
        {
            CsvText.WriteRow(text, Columns);
            foreach (var u in useCases)
            {
                var own = u.PolicyOverrides ?? EvaluationPolicyOverrides.None;
                string?[] row =
                [
                    u.Id.ToString("D"), u.Name, u.Description, AdminJson.Name(u.ValueModel), AdminJson.Name(u.Stage),
                    u.Owner?.AadObjectId, u.Owner?.DisplayName, u.Delegate?.AadObjectId, u.Delegate?.DisplayName,
                    u.Sponsor?.AadObjectId, u.Sponsor?.DisplayName,
                    u.OrgUnit, u.Workflow, AdminJson.Name(u.PnlLine), u.SuccessCriteria,
                    u.LaunchDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    u.TargetUsers.ToString(CultureInfo.InvariantCulture), u.Currency,
                    Number(u.Baseline.MinutesPerTask), Number(u.Baseline.TasksPerWeek), Number(u.Baseline.HourlyCost.Amount),
                    Number(u.Baseline.ReworkRateBeforeAi), Number(u.Baseline.MinutesPerException),
                    Number(u.DeclaredPilotBenefit), Number(u.PlannedRunCostPerMonth.Amount),
                    Optional(own.MaxReworkRate), Optional(own.MinAdoption), Optional(own.MaxExceptionRate),
                    AdminJson.Name(u.CheckInSchedule.Day), u.CheckInSchedule.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture),
                    u.Retired ? "true" : "false",
                    .. PolicyParameters.Rules.Select(p => Optional(p.Get(own))),
                ];
                CsvText.WriteRow(text, row);
            }
        }

        return text.ToString();
    }

    /// <summary>Trailing zeros dropped, so the text does not depend on the column's scale in the database.</summary>
    public static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static string? Optional(decimal? value) => value is { } v ? Number(v) : null;

    /// <summary>
    /// Every row of the file, or every problem in it; a row without an id gets a new one. Overrides are checked
    /// against <paramref name="organisation"/> (default: DOMAIN.md's policy) where their validity depends on it.
    /// </summary>
    /// <param name="localMode">Passed to <see cref="UseCaseLimits.AddErrors"/>: local mode also takes the Agents Playground's user id.</param>
    public static (IReadOnlyList<UseCase> UseCases, IReadOnlyList<CsvLineError> Errors) Read(string text, EvaluationPolicy? organisation = null, bool localMode = false, Cadence? cadence = null)
    {
        var useCases = new List<UseCase>();
        var errors = new List<CsvLineError>();
        List<(int Line, string[] Fields)> records;
        try
        {
            records = CsvText.Read(text).ToList();
        }
        catch (FormatException e)
        {
            errors.Add(new CsvLineError(0, "file", "The file is not valid CSV. " + e.Message));
            return (useCases, errors);
        }

        if (records.Count == 0)
        {
            errors.Add(new CsvLineError(1, "header", "The file is empty; the first line must name the columns."));
            return (useCases, errors);
        }

        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        foreach (var required in new[] { "name", "valueModel", "targetUsers", "currency", "baselineMinutesPerTask", "hourlyCost", "plannedRunCostPerMonth" })
        {
            if (!header.Contains(required, StringComparer.Ordinal))
            {
                errors.Add(new CsvLineError(1, required, $"The column '{required}' is missing."));
            }
        }

        foreach (var unknown in header.Where(h => !Columns.Contains(h, StringComparer.Ordinal)))
        {
            errors.Add(new CsvLineError(1, unknown, $"Unknown column '{unknown}'; the columns are: {string.Join(", ", Columns)}."));
        }

        if (errors.Count > 0)
        {
            return (useCases, errors);
        }

        if (records.Count - 1 > UseCaseLimits.ImportRows)
        {
            errors.Add(new CsvLineError(records[UseCaseLimits.ImportRows + 1].Line, "file", $"At most {UseCaseLimits.ImportRows} use cases per file."));
            return (useCases, errors);
        }

        var index = header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var seen = new Dictionary<Guid, int>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Length != header.Length)
            {
                errors.Add(new CsvLineError(line, "row", $"The row has {fields.Length} fields; the header has {header.Length}."));
                continue;
            }

            var useCase = new Row(index, fields, line, errors).ToUseCase(organisation ?? EvaluationPolicy.OrganisationDefault, localMode, cadence ?? Cadence.Default);
            if (useCase is null)
            {
                continue;
            }

            if (seen.TryGetValue(useCase.Id, out var first))
            {
                errors.Add(new CsvLineError(line, "id", $"The id {useCase.Id} is already used on line {first}."));
                continue;
            }

            seen[useCase.Id] = line;
            useCases.Add(useCase);
        }

        return (useCases, errors);
    }

    private sealed class Row(Dictionary<string, int> index, string[] fields, int line, List<CsvLineError> errors)
    {
        private int _errors;

        public UseCase? ToUseCase(EvaluationPolicy organisation, bool localMode, Cadence cadence)
        {
            var id = Guid.NewGuid();
            if (Text("id") is { } idText && !Guid.TryParse(idText, out id))
            {
                Error("id", "The id must be a GUID, or empty for a new use case.");
            }

            var overrides = EvaluationPolicyOverrides.None;
            foreach (var parameter in PolicyParameters.All)
            {
                if (Decimal(parameter.Name, required: false) is not { } value)
                {
                    continue;
                }

                if (parameter.Check(value) is { } problem)
                {
                    Error(parameter.Name, problem);
                }
                else
                {
                    overrides = parameter.With(overrides, value);
                }
            }

            var currency = Text("currency") ?? "";
            var useCase = new UseCase
            {
                Id = id,
                Name = Text("name") ?? "",
                Description = Text("description") ?? "",
                ValueModel = Choice("valueModel", required: true, ValueModel.WorkforceEmpowerment),
                Stage = Choice("stage", required: false, Stage.Pilot),
                Owner = Person("owner"),
                Delegate = Person("delegate"),
                Sponsor = Person("sponsor"),
                OrgUnit = Text("orgUnit") ?? "",
                Workflow = Text("workflow") ?? "",
                PnlLine = Choice("pnlLine", required: false, PnlLine.Cost),
                SuccessCriteria = Text("successCriteria") ?? "",
                LaunchDate = Date("launchDate"),
                TargetUsers = Int("targetUsers") ?? 1,
                Baseline = new Baseline(
                    Decimal("baselineMinutesPerTask", required: true) ?? 0m,
                    Decimal("baselineTasksPerWeek", required: false) ?? 0m,
                    new Money(Decimal("hourlyCost", required: true) ?? 0m, currency),
                    Decimal("baselineReworkRate", required: false) ?? 0m,
                    Decimal("minutesPerException", required: false) ?? 0m),
                DeclaredPilotBenefit = Decimal("declaredPilotBenefit", required: false) ?? 0m,
                PlannedRunCostPerMonth = new Money(Decimal("plannedRunCostPerMonth", required: true) ?? 0m, currency),
                PolicyOverrides = overrides.IsEmpty ? null : overrides,
                CheckInSchedule = new CheckInSchedule(Choice("checkInDay", required: false, CheckInSchedule.Default.Day), Time("checkInTime")),
                Retired = Bool("retired"),
            };
            if (_errors == 0)
            {
                var found = new List<FieldError>(useCase.Validate());
                UseCaseInputs.AddPolicyErrors(found, organisation, overrides);
                UseCaseLimits.AddErrors(found, useCase, localMode);
                if (!found.Any(e => e.Field == "checkInSchedule") && cadence.WhyNeverAnswered(useCase.CheckInSchedule) is { } neverAnswered)
                {
                    found.Add(new FieldError("checkInSchedule", neverAnswered));
                }

                foreach (var error in found)
                {
                    Error(CsvColumn(error.Field), error.Message);
                }
            }

            return _errors == 0 ? useCase : null;
        }

        private static string CsvColumn(string field) => field switch
        {
            "baseline.minutesPerTask" => "baselineMinutesPerTask",
            "baseline.tasksPerWeek" => "baselineTasksPerWeek",
            "baseline.hourlyCost" => "hourlyCost",
            "baseline.reworkRateBeforeAi" => "baselineReworkRate",
            "baseline.minutesPerException" => "minutesPerException",
            _ when field.StartsWith("stopLoss.", StringComparison.Ordinal) => field["stopLoss.".Length..],
            _ when field.StartsWith("rules.", StringComparison.Ordinal) => field["rules.".Length..],
            "checkInSchedule" => "checkInDay",
            "owner.aadObjectId" => "ownerAadObjectId",
            "owner.displayName" => "ownerDisplayName",
            "delegate" or "delegate.aadObjectId" => "delegateAadObjectId",
            "delegate.displayName" => "delegateDisplayName",
            "sponsor.aadObjectId" => "sponsorAadObjectId",
            "sponsor.displayName" => "sponsorDisplayName",
            _ => field,
        };

        private void Error(string field, string message)
        {
            _errors++;
            errors.Add(new CsvLineError(line, field, message));
        }

        private string? Text(string column) =>
            index.TryGetValue(column, out var i) && !string.IsNullOrWhiteSpace(fields[i]) ? CsvText.Uncell(fields[i]) : null;

        private PersonRef? Person(string prefix)
        {
            var id = Text(prefix + "AadObjectId");
            var name = Text(prefix + "DisplayName");
            if (id is null && name is null)
            {
                return null;
            }

            return new PersonRef(id ?? "", name ?? "");
        }

        private T Choice<T>(string column, bool required, T fallback) where T : struct, Enum
        {
            var text = Text(column);
            if (text is null)
            {
                if (required)
                {
                    Error(column, $"Pick one of: {AdminJson.Choices<T>()}.");
                }

                return fallback;
            }

            if (AdminJson.TryParse<T>(text, out var value))
            {
                return value;
            }

            Error(column, $"'{text}' is not one of: {AdminJson.Choices<T>()}.");
            return fallback;
        }

        private decimal? Decimal(string column, bool required)
        {
            var text = Text(column);
            if (text is null)
            {
                if (required)
                {
                    Error(column, "A number is required.");
                }

                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(column, $"'{text}' is not a number (use a dot for decimals, e.g. 12.5).");
            return null;
        }

        private int? Int(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                Error(column, "A whole number is required.");
                return null;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(column, $"'{text}' is not a whole number.");
            return null;
        }

        private DateOnly? Date(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Error(column, $"'{text}' is not a date like 2026-03-02.");
            return null;
        }

        private TimeOnly Time(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return CheckInSchedule.Default.LocalTime;
            }

            if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return time;
            }

            Error(column, $"'{text}' is not a time like 09:00.");
            return CheckInSchedule.Default.LocalTime;
        }

        private bool Bool(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return false;
            }

            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            Error(column, $"'{text}' is not true or false.");
            return false;
        }
    }
}
