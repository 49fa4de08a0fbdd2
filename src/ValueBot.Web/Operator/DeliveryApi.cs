using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ValueBot.Domain.Periods;
using ValueBot.Web.Admin;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Operator;

/// <summary>Counts per state, and who is in a problem state, for the admin API.</summary>
public sealed record DeliveryApiView(
    string Week,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<DeliveryReasonCount> UndeliverableByReason,
    IReadOnlyList<DeliveryProblemView> Problems)
{
    public static DeliveryApiView From(WeekDelivery delivery) => new(
        delivery.Week.ToString(),
        WeekDelivery.States.ToDictionary(s => s.ApiName(), delivery.Count),
        delivery.UndeliverableByReason().Select(r => new DeliveryReasonCount(r.Reason, r.Count)).ToList(),
        delivery.ProblemLines().Select(l => new DeliveryProblemView(
            l.UseCaseId, l.UseCase, l.OwnerAadObjectId, l.Owner, l.State.ApiName(), l.Reason, l.ReasonLabel, l.SentAt,
            l.SendAgain.Allowed, l.SendAgain.Explanation)).ToList());
}

public sealed record DeliveryReasonCount(string Reason, int Count);

public sealed record DeliveryProblemView(
    Guid UseCaseId,
    string UseCase,
    string? OwnerAadObjectId,
    string Owner,
    string State,
    string? Reason,
    string? ReasonLabel,
    DateTime? SentAt,
    bool CanSendAgain,
    string SendAgain);

public sealed record SendAgainView(string Outcome, string Detail);

/// <summary>
/// <c>GET /api/admin/delivery?week=</c>: the week's delivery (default this week); <c>POST
/// /api/admin/delivery/send-again?useCaseId=&amp;week=</c>: the card once more, 202 when queued, 409 with the reason when
/// it is not safe (the card arrived, the week closed, the owner has no chat…), 404 for an unknown use case.
/// </summary>
public static class DeliveryApi
{
    public static RouteGroupBuilder MapDeliveryApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/delivery", ReadAsync).WithName("WeekDelivery").WithTags("Delivery")
            .WithSummary("A week's check-in delivery (default this week): counts per state, undeliverable by the reason Teams gave, and who is undeliverable, in doubt or missed, with whether the card may be sent again");
        admin.MapPost("/delivery/send-again", SendAgainAsync).WithName("SendCheckInAgain").WithTags("Delivery")
            .WithSummary("Queue a check-in card once more for an owner whose card is in doubt or was refused; 409 with the reason when that is not safe. Repeating it queues nothing twice.");
        return admin;
    }

    private static async Task<Results<Ok<DeliveryApiView>, ValidationProblem>> ReadAsync(
        string? week, DeliveryBoard board, UseCaseRegistry registry, CancellationToken ct)
    {
        var parsed = registry.CurrentWeek;
        if (week is not null && !IsoWeek.TryParse(week, out parsed))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["week"] = ["Give an ISO week like 2026-W10, or leave it out for this week."] });
        }

        return TypedResults.Ok(DeliveryApiView.From(await board.ReadAsync(parsed, ct)));
    }

    private static async Task<Results<Accepted<SendAgainView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> SendAgainAsync(
        HttpContext http, string? useCaseId, string? week, DeliveryBoard board, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(useCaseId, out var id))
        {
            errors["useCaseId"] = ["The use case id must be a GUID."];
        }

        if (!IsoWeek.TryParse(week, out var parsed))
        {
            errors["week"] = ["Give the check-in's ISO week, like 2026-W10."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await board.SendAgainAsync(id, parsed, AdminCaller.From(http.User).Name, ct);
        return result.Outcome switch
        {
            SendAgainOutcome.Queued => TypedResults.Accepted((string?)null, new SendAgainView("queued", result.Explanation)),
            SendAgainOutcome.NotFound => TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Unknown use case", Detail = result.Explanation }),
            _ => TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Not sent again", Detail = result.Explanation + " Nothing was sent." }),
        };
    }
}
