using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Demo;

namespace ValueBot.Web.Admin;

/// <summary>
/// The registry's limits, one set for every way in — the JSON API, the CSV import and the admin cards — so a use case
/// one of them refuses is refused by all: text lengths, no U+0000 (PostgreSQL cannot store it), person ids as Entra
/// object ids (GUIDs), and the size of an import.
/// </summary>
public static class UseCaseLimits
{
    public const int NameLength = UseCase.MaxNameLength;
    public const int DescriptionLength = 4000;
    public const int OrgUnitLength = 200;
    public const int WorkflowLength = 1000;
    public const int SuccessCriteriaLength = 4000;
    public const int PersonNameLength = 200;
    public const int ReasonLength = 4000;

    /// <summary>Rows in one imported file.</summary>
    public const int ImportRows = 10_000;

    /// <summary>Bytes in one import request, however it is sent (Content-Length or chunked).</summary>
    public const long ImportBytes = 10 * 1024 * 1024;

    /// <summary>Adds an error for each free-text field over its length or holding U+0000, and each person id that is not an object id.</summary>
    /// <param name="localMode">The Agents Playground's made-up user id (not a GUID) is accepted in local mode only.</param>
    /// <param name="lookedUp">Ids found by UPN or email (in the directory or among the people ValueBot knows), not typed: not checked.</param>
    public static void AddErrors(List<FieldError> errors, UseCase useCase, bool localMode, IReadOnlySet<string>? lookedUp = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(useCase);
        Text(errors, "name", useCase.Name, NameLength);
        Text(errors, "description", useCase.Description, DescriptionLength);
        Text(errors, "orgUnit", useCase.OrgUnit, OrgUnitLength);
        Text(errors, "workflow", useCase.Workflow, WorkflowLength);
        Text(errors, "successCriteria", useCase.SuccessCriteria, SuccessCriteriaLength);
        Person(errors, "owner", useCase.Owner, localMode, lookedUp);
        Person(errors, "delegate", useCase.Delegate, localMode, lookedUp);
        Person(errors, "sponsor", useCase.Sponsor, localMode, lookedUp);
    }

    /// <summary>What is wrong with a free text of at most <paramref name="max"/> characters; null when nothing is.</summary>
    public static string? TextProblem(string? value, int max) =>
        value is null ? null
        : value.Length > max ? $"At most {max} characters."
        : value.Contains('\0', StringComparison.Ordinal) ? "The text contains the character U+0000, which cannot be stored."
        : null;

    /// <summary>An Entra object id in its usual form (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>).</summary>
    public static bool IsPersonId(string? id, bool localMode) =>
        Guid.TryParseExact(id, "D", out _) || (localMode && id == DemoOptions.PlaygroundUserAadObjectId);

    private static void Text(List<FieldError> errors, string field, string? value, int max)
    {
        // The domain reports some lengths itself (the name); one message per field is enough.
        if (TextProblem(value, max) is { } problem && !errors.Any(e => e.Field == field))
        {
            errors.Add(new FieldError(field, problem));
        }
    }

    private static void Person(List<FieldError> errors, string field, PersonRef? person, bool localMode, IReadOnlySet<string>? lookedUp)
    {
        if (person is null)
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(person.AadObjectId) && !IsPersonId(person.AadObjectId, localMode)
            && lookedUp?.Contains(person.AadObjectId) != true
            && !errors.Any(e => e.Field == field + ".aadObjectId"))
        {
            errors.Add(new FieldError(field + ".aadObjectId", "Give the person's Entra object id, a GUID such as 6a1c0e52-0000-4000-8000-000000000001."));
        }

        Text(errors, field + ".displayName", person.DisplayName, PersonNameLength);
    }
}
