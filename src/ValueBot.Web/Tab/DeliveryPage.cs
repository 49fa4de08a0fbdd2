using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.Admin;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tab;

/// <summary>Where one use case's check-in of the week stands, for the admins' delivery view.</summary>
public sealed record DeliveryRow(
    Guid UseCaseId,
    string UseCase,
    string Owner,
    string State,
    string? Reason,
    DateTime? SentAt,
    bool CanSendAgain);

/// <summary>This week's check-ins: counts per state, every one with the reason Teams gave, and which may be sent again.</summary>
public sealed record DeliveryView(TabViewer Viewer, IsoWeek Week, IReadOnlyList<DeliveryRow> Rows)
{
    /// <summary>The states in the order the page shows them.</summary>
    public static readonly string[] States = ["queued", "sent", "answered", "skipped", "missed", "undeliverable", "in doubt", "not yet due"];

    public int Count(string state) => Rows.Count(r => r.State == state);
}

/// <summary>
/// Reads the delivery view from <c>check_ins</c> and <c>outbox_messages</c>, and sends a check-in again where that is
/// safe: Teams refused it for certain (undeliverable), the owner now has a chat with ValueBot, and the week is still open.
/// A message in doubt is never sent again from here — it may have arrived, and a duplicate card is worse than the
/// reminder that makes good a lost one.
/// </summary>
public sealed class DeliveryBoard(ValueBotDbContext db, InstallationStore installations, CheckInStore checkIns, Outbox outbox, UseCaseRegistry registry, TimeProvider time)
{
    public const string SendAgainMarker = "again";

    public async Task<DeliveryView> ReadAsync(TabViewer viewer, IsoWeek week, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var useCases = await db.Set<UseCaseRecord>().AsNoTracking().Where(u => u.RetiredAt == null)
            .Select(u => new { u.Id, u.Name, u.OwnerAadObjectId, u.Stage }).ToListAsync(cancellationToken);
        var people = await db.Set<Person>().AsNoTracking().Select(p => new { p.AadObjectId, p.DisplayName, p.HasLeft })
            .ToDictionaryAsync(p => p.AadObjectId, StringComparer.Ordinal, cancellationToken);
        var rows = (await db.Set<CheckIn>().AsNoTracking().Where(c => c.Week == week).ToListAsync(cancellationToken)).ToDictionary(c => c.UseCaseId);
        var weekText = ":" + week;
        var inDoubt = new Dictionary<Guid, string?>();
        foreach (var message in await db.Set<OutboxMessage>().AsNoTracking()
                     .Where(m => m.Kind == CheckInCycle.CheckInKind && m.State == OutboxState.InDoubt && m.DedupeKey.Contains(weekText))
                     .Select(m => new { m.DedupeKey, m.LastError }).ToListAsync(cancellationToken))
        {
            if (CheckInDeliveries.TryParseKey(message.DedupeKey, out var id, out var w, out _) && w == week)
            {
                inDoubt[id] = message.LastError;
            }
        }

        var chats = await installations.PersonalByUserAsync(cancellationToken);
        var list = new List<DeliveryRow>(useCases.Count);
        foreach (var u in useCases.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase))
        {
            var owner = u.OwnerAadObjectId is { } o && people.TryGetValue(o, out var p) ? p.DisplayName : u.OwnerAadObjectId ?? "no owner";
            if (!rows.TryGetValue(u.Id, out var row))
            {
                if (u.Stage != Stage.Stopped)
                {
                    list.Add(new DeliveryRow(u.Id, u.Name, owner, "not yet due", null, null, false));
                }

                continue;
            }

            var state = row.Status switch
            {
                CheckInStatus.Scheduled => "queued",
                CheckInStatus.Sent when inDoubt.ContainsKey(u.Id) => "in doubt",
                CheckInStatus.Sent => "sent",
                CheckInStatus.Answered => "answered",
                CheckInStatus.Skipped => "skipped",
                CheckInStatus.Missed => "missed",
                _ => "undeliverable",
            };
            var reason = state switch
            {
                "undeliverable" => Explain(row.UndeliverableReason),
                "in doubt" => inDoubt[u.Id] + " It is not sent again from here: the reminder makes good a card that did not arrive.",
                _ => null,
            };
            var canSendAgain = row.Status == CheckInStatus.Undeliverable && u.OwnerAadObjectId is { } ownerId && chats.ContainsKey(ownerId)
                && !(people.TryGetValue(ownerId, out var person) && person.HasLeft) && (row.DeadlineAt is null || now < row.DeadlineAt)
                && u.Stage != Stage.Stopped;
            list.Add(new DeliveryRow(u.Id, u.Name, owner, state, reason, row.SentAt, canSendAgain));
        }

        return new DeliveryView(viewer, week, list);
    }

    /// <summary>Queues the check-in card once more; false (nothing changed) unless it is one the view offers to send again.</summary>
    public async Task<bool> SendAgainAsync(TabViewer viewer, Guid useCaseId, IsoWeek week, CancellationToken cancellationToken)
    {
        var view = await ReadAsync(viewer, week, cancellationToken);
        if (view.Rows.FirstOrDefault(r => r.UseCaseId == useCaseId) is not { CanSendAgain: true }
            || await registry.GetAsync(useCaseId, cancellationToken) is not { UseCase: { Owner: { } owner } useCase }
            || await installations.FindPersonalAsync(owner.AadObjectId, cancellationToken) is not { } chat)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var previous = await checkIns.PreviousAnswerAsync(useCaseId, week, cancellationToken);
        // The outbox observer reads the key like the cycle's own (checkin:{id}:{week}:…) and records the outcome on the row.
        var key = $"{CheckInCycle.CheckInKey(useCaseId, week)}:{SendAgainMarker}{now:yyyyMMddHHmmss}";
        var message = Outbox.Message(key, CheckInCycle.CheckInKind, chat.ServiceUrl, chat.ConversationId, chat.TenantId,
            Activity.CreateCardMessage(CheckInCard.Build(useCase, week, previous)));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Conditional: of two clicks (or a click and the check-in cycle) only one changes the row and queues a card.
        var claimed = await db.Set<CheckIn>()
            .Where(c => c.UseCaseId == useCaseId && c.Week == week && c.Status == CheckInStatus.Undeliverable)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CheckInStatus.Scheduled)
                .SetProperty(c => c.UndeliverableReason, (string?)null)
                .SetProperty(c => c.ConversationId, chat.ConversationId)
                .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (claimed == 1)
        {
            await outbox.EnqueueAsync(message, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed == 1;
    }

    private static string? Explain(string? reason) => reason switch
    {
        CheckInCycle.NotInstalledReason => "ValueBot is not installed for the owner.",
        CheckInCycle.OwnerLeftReason => "The owner has left the organisation: name a new owner.",
        null => null,
        _ => reason,
    };
}

/// <summary>Renders <see cref="DeliveryView"/> as the admins' delivery page and as CSV.</summary>
public static class DeliveryPage
{
    public static string Render(HttpRequest request, DeliveryView view, string sendAgainToken, string? notice)
    {
        return TabHtml.Page(request, "Delivery", view.Viewer, "delivery", html =>
        {
            html.Append("<p class=\"lead\">This week's check-ins, week ").Append(TabHtml.H(view.Week.ToString())).Append(" · <a href=\"")
                .Append(TabHtml.H(TabHtml.Link(request, $"/tab/delivery.csv?week={view.Week}"))).Append("\" download>Download CSV</a></p>");
            if (notice is not null)
            {
                html.Append("<p role=\"status\" class=\"notice\">").Append(TabHtml.H(notice)).Append("</p>");
            }

            html.Append("<div class=\"figures\">");
            foreach (var state in DeliveryView.States)
            {
                TabHtml.Figure(html, state, view.Count(state).ToString(CultureInfo.InvariantCulture), null, state.Replace(' ', '-'));
            }

            html.Append("</div>");
            var attention = view.Rows.Where(r => r.State is "undeliverable" or "in doubt" or "missed").ToList();
            TabHtml.Table(html, "Why these did not get through, and who is stuck", ["Use case", "Owner", "State", "Reason", "Action"],
                attention.Select(r => (IReadOnlyList<string>)
                [
                    PortfolioLink(request, r), TabHtml.H(r.Owner), TabHtml.H(r.State), TabHtml.H(r.Reason ?? "–"),
                    r.CanSendAgain ? SendAgainForm(request, r, view.Week, sendAgainToken) : "–",
                ]), "attention-table");
            TabHtml.Table(html, "Every check-in of the week", ["Use case", "Owner", "State", "Sent at"],
                view.Rows.Take(500).Select(r => (IReadOnlyList<string>)
                [
                    PortfolioLink(request, r), TabHtml.H(r.Owner), TabHtml.H(r.State),
                    TabHtml.H(r.SentAt?.ToString("ddd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "–"),
                ]), "delivery-table");
        });
    }

    public static string Csv(DeliveryView view)
    {
        var output = new StringBuilder();
        CsvText.WriteRow(output, ["useCaseId", "useCaseName", "owner", "week", "state", "reason", "sentAt", "canSendAgain"]);
        foreach (var r in view.Rows)
        {
            CsvText.WriteRow(output,
            [
                r.UseCaseId.ToString("D"), r.UseCase, r.Owner, view.Week.ToString(), r.State, r.Reason,
                r.SentAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), r.CanSendAgain ? "true" : "false",
            ]);
        }

        return output.ToString();
    }

    private static string PortfolioLink(HttpRequest request, DeliveryRow row) =>
        $"<a href=\"{TabHtml.H(TabHtml.Link(request, $"/tab/use-cases/{row.UseCaseId:D}"))}\">{TabHtml.H(row.UseCase)}</a>";

    private static string SendAgainForm(HttpRequest request, DeliveryRow row, IsoWeek week, string token) =>
        $"<form method=\"post\" action=\"{TabHtml.H(TabHtml.Link(request, "/tab/delivery/send-again"))}\" class=\"inline\">"
        + $"<input type=\"hidden\" name=\"useCaseId\" value=\"{row.UseCaseId:D}\"><input type=\"hidden\" name=\"week\" value=\"{week}\">"
        + $"<input type=\"hidden\" name=\"token\" value=\"{TabHtml.H(token)}\">"
        + $"<button type=\"submit\">Send again<span class=\"visually-hidden\"> to {TabHtml.H(row.Owner)} for {TabHtml.H(row.UseCase)}</span></button></form>";
}
