using System.Globalization;
using System.Text;
using ValueBot.Domain.Periods;
using ValueBot.Web.Admin;
using ValueBot.Web.Operator;

namespace ValueBot.Web.Tab;

/// <summary>The admins' delivery page: <see cref="DeliveryBoard"/>'s week, as the Teams command and the admin API show it.</summary>
public sealed record DeliveryView(TabViewer Viewer, WeekDelivery Delivery)
{
    public IsoWeek Week => Delivery.Week;
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
            foreach (var state in WeekDelivery.States)
            {
                TabHtml.Figure(html, state.Words(), view.Delivery.Count(state).ToString(CultureInfo.InvariantCulture), null, state.Words().Replace(' ', '-'));
            }

            html.Append("</div>");
            var byReason = view.Delivery.UndeliverableByReason();
            if (byReason.Count > 0)
            {
                TabHtml.Table(html, "Undeliverable, by the reason Teams gave", ["Reason", "Check-ins"],
                    byReason.Select(r => (IReadOnlyList<string>)[TabHtml.H(r.Reason), r.Count.ToString(CultureInfo.InvariantCulture)]), "reason-table");
            }

            TabHtml.Table(html, "Why these did not get through, and who is stuck", ["Use case", "Owner", "State", "Reason", "Action"],
                view.Delivery.ProblemLines().Select(r => (IReadOnlyList<string>)
                [
                    PortfolioLink(request, r), TabHtml.H(r.Owner), TabHtml.H(r.State.Words()), TabHtml.H(r.Reason ?? "–"),
                    r.SendAgain.Allowed ? SendAgainForm(request, r, view.Week, sendAgainToken) + TabHtml.H(r.SendAgain.Explanation)
                        : r.State == DeliveryState.Missed ? "–" : TabHtml.H(r.SendAgain.Explanation),
                ]), "attention-table");
            TabHtml.Table(html, "Every check-in of the week", ["Use case", "Owner", "State", "Sent at"],
                view.Delivery.Lines.Take(500).Select(r => (IReadOnlyList<string>)
                [
                    PortfolioLink(request, r), TabHtml.H(r.Owner), TabHtml.H(r.State.Words()),
                    TabHtml.H(r.SentAt?.ToString("ddd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "–"),
                ]), "delivery-table");
        });
    }

    public static string Csv(DeliveryView view)
    {
        var output = new StringBuilder();
        CsvText.WriteRow(output, ["useCaseId", "useCaseName", "owner", "week", "state", "reason", "sentAt", "canSendAgain"]);
        foreach (var r in view.Delivery.Lines)
        {
            CsvText.WriteRow(output,
            [
                r.UseCaseId.ToString("D"), r.UseCase, r.Owner, view.Week.ToString(), r.State.Words(), r.Reason,
                r.SentAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), r.SendAgain.Allowed ? "true" : "false",
            ]);
        }

        return output.ToString();
    }

    private static string PortfolioLink(HttpRequest request, DeliveryLine row) =>
        $"<a href=\"{TabHtml.H(TabHtml.Link(request, $"/tab/use-cases/{row.UseCaseId:D}"))}\">{TabHtml.H(row.UseCase)}</a>";

    private static string SendAgainForm(HttpRequest request, DeliveryLine row, IsoWeek week, string token) =>
        $"<form method=\"post\" action=\"{TabHtml.H(TabHtml.Link(request, "/tab/delivery/send-again"))}\" class=\"inline\">"
        + $"<input type=\"hidden\" name=\"useCaseId\" value=\"{row.UseCaseId:D}\"><input type=\"hidden\" name=\"week\" value=\"{week}\">"
        + $"<input type=\"hidden\" name=\"token\" value=\"{TabHtml.H(token)}\">"
        + $"<button type=\"submit\">Send again<span class=\"visually-hidden\"> to {TabHtml.H(row.Owner)} for {TabHtml.H(row.UseCase)}</span></button></form>";
}
