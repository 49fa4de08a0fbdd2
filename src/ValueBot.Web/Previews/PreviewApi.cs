using Microsoft.AspNetCore.Http.HttpResults;
using ValueBot.Web.CheckIns;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Previews;

/// <summary>
/// The previews on the admin API: <c>GET /api/admin/previews/{weekly|monthly|quarterly}?period=</c> answers the card
/// (Adaptive Card JSON) the schedule would post; <c>POST /api/admin/check-in-cycle/run</c> runs the check-in cycle once.
/// </summary>
public static class PreviewApi
{
    public static RouteGroupBuilder MapPreviewApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/previews/{kind}", PreviewAsync).WithName("PreviewCard").WithTags("Previews")
            .WithSummary("The card the schedule would post: kind weekly (leadership digest), monthly (financial review) or quarterly (stage-gate review); nothing is posted")
            .WithDescription("period: an ISO week (2026-W10) or, for monthly, a month (2026-02); default now.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        admin.MapPost("/check-in-cycle/run", async (CheckInCycle cycle, CancellationToken ct) =>
        {
            var report = await cycle.RunAsync(ct);
            return TypedResults.Ok(report);
        }).WithName("RunCheckInCycle").WithTags("Previews")
            .WithSummary("Run the weekly check-in cycle once now (what is due is sent, reminders, missed weeks closed); repeating it does nothing twice");
        return admin;
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem>> PreviewAsync(
        string kind, string? period, RhythmPreviews previews, UseCaseRegistry registry, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<PreviewKind>(kind, ignoreCase: true, out var which) || !Enum.IsDefined(which) || char.IsAsciiDigit(kind[0]))
        {
            errors["kind"] = ["Use weekly, monthly or quarterly."];
        }

        var parsed = PreviewPeriod.Parse(period, registry.CurrentWeek);
        if (parsed is null)
        {
            errors["period"] = [$"Give {PreviewPeriod.Hint}, or leave it out for now."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var card = await previews.BuildAsync(which, parsed!, ct);
        return TypedResults.Text(card.ToJson(), "application/json");
    }
}
