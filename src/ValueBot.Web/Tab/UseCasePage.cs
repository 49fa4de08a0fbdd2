using System.Globalization;
using System.Text;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Admin;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tab;

/// <summary>One use case as the admin API reads it: its evaluation, every stored week, the decision ledger and the audit trail.</summary>
public sealed record UseCaseView(
    TabViewer Viewer,
    UseCase UseCase,
    UseCaseEvaluation Evaluation,
    IReadOnlyList<(WeekRecord Record, AnsweredWeek? Figures)> Weeks,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<AuditEntry> Audit)
{
    /// <summary>Reads through <see cref="UseCaseRegistry"/> (the services behind <c>/api/admin/use-cases/{id}/…</c>).</summary>
    public static async Task<UseCaseView?> ReadAsync(TabViewer viewer, StoredUseCase stored, UseCaseRegistry registry, CheckIns.CheckInHistory checkIns, CancellationToken cancellationToken)
    {
        var useCase = stored.UseCase;
        var evaluation = await registry.EvaluateAsync(useCase.Id, null, cancellationToken);
        if (evaluation is null)
        {
            return null;
        }

        var history = await checkIns.WeekHistoryAsync(useCase.Id, cancellationToken);
        var factors = registry.OrganisationPolicy.Evidence;
        var weeks = history.Select(r => (r, r.HasData ? AnsweredWeek.Of(useCase, r, factors) : null)).ToList();
        return new UseCaseView(viewer, useCase, evaluation, weeks,
            await registry.DecisionsAsync(useCase.Id, cancellationToken), await registry.AuditTrailAsync(useCase.Id, cancellationToken));
    }
}

/// <summary>Renders <see cref="UseCaseView"/> as a page and as CSV.</summary>
public static class UseCasePage
{
    /// <summary>Weeks the charts draw: the last 26 stored weeks (the table and the CSV have them all).</summary>
    private const int ChartWeeks = 26;

    public static string Render(HttpRequest request, UseCaseView view)
    {
        var u = view.UseCase;
        var e = view.Evaluation;
        return TabHtml.Page(request, u.Name, view.Viewer, "use-case", html =>
        {
            html.Append("<p class=\"lead\">").Append(TabHtml.H(PortfolioPage.Words(u.ValueModel))).Append(" · stage ").Append(TabHtml.H(u.Stage.ToString()))
                .Append(" · owner ").Append(TabHtml.H(u.Owner?.DisplayName ?? "no owner"));
            if (u.Sponsor is { } sponsor)
            {
                html.Append(" · sponsor ").Append(TabHtml.H(sponsor.DisplayName));
            }

            html.Append(" · <a href=\"").Append(TabHtml.H(TabHtml.Link(request, $"/tab/use-cases/{u.Id:D}.csv"))).Append("\" download>Download CSV</a></p>");
            if (u.Description.Length > 0)
            {
                html.Append("<p>").Append(TabHtml.H(u.Description)).Append("</p>");
            }

            html.Append("<section aria-labelledby=\"figures\"><h2 id=\"figures\">The three figures</h2><div class=\"figures\">");
            TabHtml.Figure(html, "Gross value, 90 days", TabHtml.Money(e.Rolling.GrossValue), null, "gross");
            TabHtml.Figure(html, "Absorption cost, 90 days", TabHtml.Money(e.Rolling.AbsorptionCost), null, "absorption");
            TabHtml.Figure(html, "Net value (reported), 90 days", TabHtml.Money(e.Rolling.NetValue), $"{e.Rolling.AnsweredWeeks} answered weeks", "net");
            TabHtml.Figure(html, "Net value (risk-adjusted), 90 days", TabHtml.Money(e.Rolling.AdjustedNetValue),
                $"measured share of the gross value {TabHtml.Percent(e.Rolling.MeasuredShare)}; the stage gate reads this one", "net-adjusted");
            TabHtml.Figure(html, "Check-in compliance", TabHtml.Percent(e.Compliance.Rate), null, "compliance");
            html.Append("</div></section>");

            html.Append("<section aria-labelledby=\"recommendation\"><h2 id=\"recommendation\">Recommendation</h2><p class=\"recommendation\" data-recommendation=\"")
                .Append(e.Recommendation.Recommendation.ToString().ToLowerInvariant()).Append("\">").Append(TabHtml.H(e.Recommendation.Headline)).Append("</p><ul>");
            foreach (var reason in e.Recommendation.Reasons)
            {
                html.Append("<li>").Append(TabHtml.H(reason.Text)).Append("</li>");
            }

            html.Append("</ul></section>");

            html.Append("<section aria-labelledby=\"warnings\"><h2 id=\"warnings\">Warnings</h2>");
            TabHtml.Table(html, "Early warnings and their reasons", ["Warning", "Why"],
                e.Warnings.Select(w => (IReadOnlyList<string>)[TabHtml.H(w.Name), TabHtml.H(w.Reason)]), "warnings-table");
            html.Append("</section>");

            var recent = view.Weeks.TakeLast(ChartWeeks).ToList();
            html.Append("<section aria-labelledby=\"trends\"><h2 id=\"trends\">Trends</h2><div class=\"charts\">");
            SvgCharts.Bars(html, "chart-net-per-week", $"Net value (reported) per week ({u.Currency})",
                recent.Select(w => new ChartPoint(w.Record.Week.ToString(), w.Figures?.Metrics.NetValue.Amount, TabHtml.Money(w.Figures?.Metrics.NetValue))).ToList());
            SvgCharts.Bars(html, "chart-adjusted-net-per-week", $"Net value (risk-adjusted) per week ({u.Currency})",
                recent.Select(w => new ChartPoint(w.Record.Week.ToString(), w.Figures?.Metrics.AdjustedNetValue.Amount, TabHtml.Money(w.Figures?.Metrics.AdjustedNetValue))).ToList());
            SvgCharts.Line(html, "chart-adoption", "Adoption (share of target users)",
                recent.Select(w => new ChartPoint(w.Record.Week.ToString(), w.Figures?.Metrics.Adoption * 100m, TabHtml.Percent(w.Figures?.Metrics.Adoption))).ToList());
            SvgCharts.Line(html, "chart-rework", "Rework rate",
                recent.Select(w => new ChartPoint(w.Record.Week.ToString(), w.Figures?.Metrics.ReworkRate * 100m, TabHtml.Percent(w.Figures?.Metrics.ReworkRate))).ToList());
            html.Append("</div></section>");

            html.Append("<section aria-labelledby=\"weeks\"><h2 id=\"weeks\">Weekly figures</h2>");
            TabHtml.Table(html, "Every stored week, newest first", ["Week", "Check-in", "Adoption", "Rework", "Gross", "Absorption", "Net (reported)", "Net (risk-adjusted)", "Evidence"],
                view.Weeks.AsEnumerable().Reverse().Select(w => (IReadOnlyList<string>)
                [
                    TabHtml.H(w.Record.Week.ToString()), TabHtml.H(w.Record.Status.ToString().ToLowerInvariant()), TabHtml.H(TabHtml.Percent(w.Figures?.Metrics.Adoption)),
                    TabHtml.H(TabHtml.Percent(w.Figures?.Metrics.ReworkRate)), TabHtml.H(TabHtml.Money(w.Figures?.Metrics.GrossValue)),
                    TabHtml.H(TabHtml.Money(w.Figures?.Metrics.AbsorptionCost)), TabHtml.H(TabHtml.Money(w.Figures?.Metrics.NetValue)),
                    TabHtml.H(TabHtml.Money(w.Figures?.Metrics.AdjustedNetValue)), TabHtml.H(EvidenceText(w.Figures)),
                ]), "weeks-table");
            html.Append("</section>");

            html.Append("<section aria-labelledby=\"decisions\"><h2 id=\"decisions\">Decision ledger</h2>");
            TabHtml.Table(html, "Stage-gate decisions", ["When", "Decision", "ValueBot recommended", "Reason", "Decided by"],
                view.Decisions.Select(d => (IReadOnlyList<string>)
                [
                    TabHtml.H(d.DecidedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), TabHtml.H(d.Outcome), TabHtml.H(d.Recommendation ?? "–"),
                    TabHtml.H(d.Reason), TabHtml.H(d.DecidedBy),
                ]), "decisions-table");
            html.Append("</section>");

            html.Append("<section aria-labelledby=\"audit\"><h2 id=\"audit\">Audit trail</h2>");
            TabHtml.Table(html, "Every change: who, when, old and new value", ["When", "Field", "Old value", "New value", "Changed by"],
                view.Audit.AsEnumerable().Reverse().Take(200).Select(a => (IReadOnlyList<string>)
                [
                    TabHtml.H(a.ChangedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), TabHtml.H(a.Field), TabHtml.H(a.OldValue ?? "–"),
                    TabHtml.H(a.NewValue ?? "–"), TabHtml.H(a.ChangedBy),
                ]), "audit-table");
            html.Append("</section>");
        });
    }

    public static string Csv(UseCaseView view)
    {
        var u = view.UseCase;
        var output = new StringBuilder();
        CsvText.WriteRow(output,
        [
            "useCaseId", "useCaseName", "week", "status", "currency", "adoption", "reworkRate", "exceptionRate", "hoursSaved", "grossValue", "reworkCost",
            "exceptionCost", "runCost", "absorptionCost", "netValue", "win", "blocker", "evidenceFactor", "adjustedGrossValue", "netValueRiskAdjusted",
            "minutesSavedSource", "minutesSavedConfidence", "adoptionReview", "unconfirmedOutlier",
        ]);
        foreach (var (record, figures) in view.Weeks)
        {
            var m = figures?.Metrics;
            CsvText.WriteRow(output,
            [
                u.Id.ToString("D"), u.Name, record.Week.ToString(), record.Status.ToString().ToLowerInvariant(), u.Currency, N(m?.Adoption),
                N(m?.ReworkRate), N(m?.ExceptionRate), N(m?.HoursSaved), PortfolioPage.Amount(m?.GrossValue), PortfolioPage.Amount(m?.ReworkCost),
                PortfolioPage.Amount(m?.ExceptionCost), PortfolioPage.Amount(m?.RunCost), PortfolioPage.Amount(m?.AbsorptionCost),
                PortfolioPage.Amount(m?.NetValue), record.Answer?.Win, record.Answer?.Blocker, N(m?.EvidenceFactor), PortfolioPage.Amount(m?.AdjustedGrossValue),
                PortfolioPage.Amount(m?.AdjustedNetValue), record.Answer is { } a ? Domain.Evidence.EvidenceGrade.Word(a.MinutesSavedEvidence.Source) : "",
                record.Answer is { } b ? Domain.Evidence.EvidenceGrade.Word(b.MinutesSavedEvidence.Confidence) : "", ReviewText(record.Review),
                record.Answer is null ? "" : record.Answer.IsOutlier ? "true" : "false",
            ]);
        }

        return output.ToString();
    }

    /// <summary>"estimated, medium confidence · disputed by Mia · unconfirmed outlier".</summary>
    private static string EvidenceText(AnsweredWeek? week)
    {
        if (week is null)
        {
            return "–";
        }

        var parts = new List<string> { week.Answer.MinutesSavedEvidence.ToString() };
        if (week.Review is { } review)
        {
            parts.Add($"adoption {ReviewText(review)} by {review.ManagerName}");
        }

        if (week.Answer.IsOutlier)
        {
            parts.Add("unconfirmed outlier");
        }

        return string.Join(" · ", parts);
    }

    private static string ReviewText(Domain.Evidence.ManagerReview? review) => review?.Verdict switch
    {
        Domain.Evidence.AdoptionVerdict.Confirmed => "confirmed",
        Domain.Evidence.AdoptionVerdict.Disputed => "disputed",
        _ => "",
    };

    private static string N(decimal? value) => value is { } v ? v.ToString("0.######", CultureInfo.InvariantCulture) : "";
}
