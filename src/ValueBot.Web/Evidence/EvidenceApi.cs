using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Periods;
using ValueBot.Web.Admin;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Evidence;

/// <summary>The body of <c>PUT /api/admin/use-cases/{id}/copilot-link</c>.</summary>
public sealed record CopilotLinkInput(string? GroupId);

public sealed record CopilotLinkView(Guid UseCaseId, string GroupId, string LinkedBy, DateTime LinkedAt);

/// <summary>One stored week of measured usage, beside the owner's figure.</summary>
public sealed record MeasuredUsageView(
    string Week, int? ReportedActiveUsers, int? MeasuredActiveUsers, int GroupMembers, bool NamesConcealed, int TenantActiveUsers,
    string? ReportRefreshDate, DateTime MeasuredAt, string? Note);

/// <summary>
/// The Copilot link on the admin API: <c>GET/PUT/DELETE /api/admin/use-cases/{id}/copilot-link</c> (the target group, an
/// Entra group id; audited), <c>GET /api/admin/use-cases/{id}/measured-usage</c> (measured beside reported, per week) and
/// <c>POST /api/admin/copilot-usage/measure</c> (one reading now, as the daily run does).
/// </summary>
public static class EvidenceApi
{
    public const string ConcealedNote =
        "The tenant conceals user names in Microsoft 365 usage reports (admin center › Settings › Org settings › Reports; " +
        "Graph admin/reportSettings displayConcealedNames), so the report's users cannot be matched to the group's members. " +
        "Only the tenant-level count is shown; turn the setting off to measure the group.";

    public static RouteGroupBuilder MapEvidenceApi(this RouteGroupBuilder admin)
    {
        var evidence = admin.MapGroup("").WithTags("Copilot evidence");
        evidence.MapGet("/use-cases/{id}/copilot-link", GetLinkAsync).WithName("GetCopilotLink")
            .WithSummary("The use case's link to Microsoft 365 Copilot (its target group)");
        evidence.MapPut("/use-cases/{id}/copilot-link", PutLinkAsync).WithName("LinkCopilot")
            .WithSummary("Link the use case to Microsoft 365 Copilot: its target group's Entra object id (audited)");
        evidence.MapDelete("/use-cases/{id}/copilot-link", DeleteLinkAsync).WithName("UnlinkCopilot")
            .WithSummary("Remove the Copilot link (audited); measured weeks stay");
        evidence.MapGet("/use-cases/{id}/measured-usage", MeasuredAsync).WithName("MeasuredUsage")
            .WithSummary("Measured beside reported: per ISO week the owner's active users and the group members Graph's Copilot usage report shows active");
        evidence.MapPost("/copilot-usage/measure", async (CopilotUsageMeasurement measurement, UseCaseRegistry registry, CancellationToken ct) =>
            TypedResults.Ok(await measurement.MeasureAsync(registry.CurrentWeek, ct))).WithName("MeasureCopilotUsage")
            .WithSummary("Read the Copilot usage report now and store this week's and last week's measured active users of every linked use case");
        return admin;
    }

    private static async Task<Results<Ok<CopilotLinkView>, ValidationProblem, NotFound<ProblemDetails>>> GetLinkAsync(
        string id, ValueBotDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        var link = await db.Set<CopilotLink>().AsNoTracking().SingleOrDefaultAsync(l => l.UseCaseId == guid, ct);
        return link is null
            ? TypedResults.NotFound(Problem(404, "Not linked to Copilot", $"Use case {guid} has no Copilot link."))
            : TypedResults.Ok(View(link));
    }

    private static async Task<Results<Ok<CopilotLinkView>, ValidationProblem, NotFound<ProblemDetails>>> PutLinkAsync(
        string id, CopilotLinkInput? input, HttpContext http, ValueBotDbContext db, UseCaseRegistry registry, TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        if (input?.GroupId is not { } text || !Guid.TryParse(text.Trim(), out var group))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["groupId"] = ["The target group's Entra object id (a GUID) is required."] });
        }

        if (await registry.GetAsync(guid, ct) is null)
        {
            return UnknownUseCase(guid);
        }

        var groupId = group.ToString("D");
        var caller = AdminCaller.From(http.User).Name;
        var now = time.GetUtcNow().UtcDateTime;
        var link = await db.Set<CopilotLink>().SingleOrDefaultAsync(l => l.UseCaseId == guid, ct);
        var old = link?.GroupId;
        if (link is null)
        {
            link = new CopilotLink { UseCaseId = guid, GroupId = groupId, LinkedBy = caller, LinkedAt = now };
            db.Add(link);
        }
        else
        {
            link.GroupId = groupId;
            link.LinkedBy = caller;
            link.LinkedAt = now;
        }

        if (old != groupId)
        {
            db.Add(Audit(guid, old, groupId, caller, now));
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(link));
    }

    private static async Task<Results<NoContent, ValidationProblem, NotFound<ProblemDetails>>> DeleteLinkAsync(
        string id, HttpContext http, ValueBotDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        var link = await db.Set<CopilotLink>().SingleOrDefaultAsync(l => l.UseCaseId == guid, ct);
        if (link is null)
        {
            return TypedResults.NotFound(Problem(404, "Not linked to Copilot", $"Use case {guid} has no Copilot link."));
        }

        db.Remove(link);
        db.Add(Audit(guid, link.GroupId, null, AdminCaller.From(http.User).Name, time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<MeasuredUsageView>>, ValidationProblem, NotFound<ProblemDetails>>> MeasuredAsync(
        string id, ValueBotDbContext db, UseCaseRegistry registry, CheckInHistory history, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        if (await registry.GetAsync(guid, ct) is null)
        {
            return UnknownUseCase(guid);
        }

        var rows = await db.Set<MeasuredUsageRecord>().AsNoTracking().Where(m => m.UseCaseId == guid).ToListAsync(ct);
        var reported = (await history.WeekHistoryAsync(guid, ct)).Where(w => w.HasData).ToDictionary(w => w.Week.ToString(), w => w.Answer!.ActiveUsers);
        return TypedResults.Ok(rows.OrderBy(r => r.Week, StringComparer.Ordinal).Select(r => new MeasuredUsageView(
            r.Week, reported.TryGetValue(r.Week, out var owner) ? owner : null, r.NamesConcealed ? null : r.ActiveUsers, r.GroupMembers,
            r.NamesConcealed, r.TenantActiveUsers, r.ReportRefreshDate, r.MeasuredAt, r.NamesConcealed ? ConcealedNote : null)).ToList());
    }

    private static AuditEntry Audit(Guid useCase, string? old, string? value, string caller, DateTime now) => new()
    {
        Entity = AuditEntry.UseCaseEntity,
        EntityId = useCase.ToString("D"),
        Field = "copilotGroupId",
        OldValue = old,
        NewValue = value,
        ChangedBy = caller,
        ChangedAt = now,
    };

    private static CopilotLinkView View(CopilotLink link) => new(link.UseCaseId, link.GroupId, link.LinkedBy, link.LinkedAt);

    private static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["The id must be a GUID."] });

    private static NotFound<ProblemDetails> UnknownUseCase(Guid id) =>
        TypedResults.NotFound(Problem(404, "Unknown use case", $"No use case has id {id}."));

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
