using System.Text;
using ValueBot.Domain.Common;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Admin;

namespace ValueBot.Web.Tab;

/// <summary>
/// The portfolio as one viewer may see it: the digests' lines narrowed to the viewer's use cases, then the leadership
/// digest's own sums and lists over them (three figures, trend, stages, what is not working, who has not reported),
/// by value model and the leakage breakdown over 90 days, and the recent wins the bot's <c>wins</c> command would show.
/// </summary>
public sealed record PortfolioView
{
    public required TabViewer Viewer { get; init; }

    public required IsoWeek Week { get; init; }

    /// <summary>The visible use cases, retired ones left out, by name.</summary>
    public required IReadOnlyList<DigestLine> Lines { get; init; }

    public required LeadershipDigest Digest { get; init; }

    public required IReadOnlyList<DigestWin> Wins { get; init; }

    public required IReadOnlyList<(ValueModel Model, int UseCases, MoneyTotals Net)> ByValueModel { get; init; }

    public required (MoneyTotals Translation, MoneyTotals Adoption, MoneyTotals Execution, MoneyTotals Control) Leakage { get; init; }

    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>The currency most visible use cases are in: the one the charts draw (other currencies stay in the tables).</summary>
    public string? ChartCurrency => Lines.GroupBy(l => l.UseCase.Currency).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => g.Key).FirstOrDefault();

    public static PortfolioView For(TabViewer viewer, EvaluatedPortfolio portfolio)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(portfolio);
        var snapshot = portfolio.Snapshot;
        var lines = portfolio.Lines.Where(l => viewer.Sees(l.UseCase, snapshot.ManagerOf))
            .OrderBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.Id).ToList();
        var visible = lines.Select(l => l.Id).ToHashSet();
        var week = portfolio.Week;
        // As the wins command: shared wins for everyone, the others for the owner, the owner's manager and admins.
        var wins = DigestComposer.RecentWins(snapshot.UseCases, week.AddWeeks(-3), week, (useCase, answer) =>
            visible.Contains(useCase.Id)
            && (answer.ShareWinWithLeadership || viewer.IsAdmin || useCase.Owner?.AadObjectId == viewer.Id
                || snapshot.ManagerOf(useCase.Owner?.AadObjectId) == viewer.Id), portfolio.Policy.Evidence);
        var byModel = Enum.GetValues<ValueModel>().Select(model =>
        {
            var net = new MoneyTotals();
            var count = 0;
            foreach (var line in lines.Where(l => l.UseCase.ValueModel == model))
            {
                count++;
                net.Add(line.Evaluation.Rolling.NetValue);
            }

            return (model, count, net);
        }).ToList();
        var leakage = (new MoneyTotals(), new MoneyTotals(), new MoneyTotals(), new MoneyTotals());
        foreach (var line in lines)
        {
            var l = line.Evaluation.Leakage;
            leakage.Item1.Add(l.Translation);
            leakage.Item2.Add(l.Adoption);
            leakage.Item3.Add(l.Execution);
            leakage.Item4.Add(l.Control);
        }

        return new PortfolioView
        {
            Viewer = viewer,
            Week = week,
            Lines = lines,
            Digest = DigestComposer.ForLeadership(lines, week, portfolio.StoppedThisWeek),
            Wins = wins,
            ByValueModel = byModel,
            Leakage = leakage,
            ComputedAt = portfolio.ComputedAt,
        };
    }
}

/// <summary>Renders <see cref="PortfolioView"/> as the tab's portfolio page and as CSV.</summary>
public static class PortfolioPage
{
    public static string Render(HttpRequest request, PortfolioView view, int page, int pageSize)
    {
        return TabHtml.Page(request, "Portfolio", view.Viewer, "portfolio", html =>
        {
            var d = view.Digest;
            html.Append("<p class=\"lead\" data-scope=\"").Append(view.Viewer.SeesWholePortfolio ? "all" : "own").Append("\">Week ")
                .Append(TabHtml.H(view.Week.ToString())).Append(" · ").Append(view.Lines.Count).Append(view.Lines.Count == 1 ? " use case" : " use cases")
                .Append(view.Viewer.SeesWholePortfolio ? " (the whole portfolio)" : " (yours and your reports')").Append(" · ")
                .Append("<a href=\"").Append(TabHtml.H(TabHtml.Link(request, $"/tab/portfolio.csv?week={view.Week}"))).Append("\" download>Download CSV</a></p>");

            html.Append("<section aria-labelledby=\"figures\"><h2 id=\"figures\">The three figures</h2><div class=\"figures\">");
            TabHtml.Figure(html, "Gross value, 90 days", TabHtml.Totals(d.NinetyDays.Gross), null, "gross");
            TabHtml.Figure(html, "Absorption cost, 90 days", TabHtml.Totals(d.NinetyDays.Absorption), null, "absorption");
            TabHtml.Figure(html, "Net value (reported), 90 days", TabHtml.Totals(d.NinetyDays.Net), null, "net");
            TabHtml.Figure(html, "Net value (risk-adjusted), 90 days", TabHtml.Totals(d.NinetyDays.AdjustedNet),
                Digests.DigestCards.MeasuredShareText(d.NinetyDays), "net-adjusted");
            TabHtml.Figure(html, "Net value (reported) this week", TabHtml.Totals(d.ThisWeek.Net), $"gross {d.ThisWeek.Gross}, absorption {d.ThisWeek.Absorption}", "net-week");
            TabHtml.Figure(html, "Net value (risk-adjusted) this week", TabHtml.Totals(d.ThisWeek.AdjustedNet), "gross discounted by its evidence; costs are not", "net-adjusted-week");
            html.Append("</div></section>");

            var currency = view.ChartCurrency;
            html.Append("<section aria-labelledby=\"trends\"><h2 id=\"trends\">Over time</h2><div class=\"charts\">");
            if (currency is not null)
            {
                var perWeek = d.Trend.Select(t => Point(t.Week.ToString(), t.Net.In(currency))).ToList();
                SvgCharts.Bars(html, "chart-net-per-week", $"Net value per week ({currency})", perWeek);
                var running = 0m;
                var cumulative = d.Trend.Select(t =>
                {
                    if (t.Net.In(currency) is { } m)
                    {
                        running += m.Amount;
                    }

                    return Point(t.Week.ToString(), new Money(running, currency));
                }).ToList();
                SvgCharts.Line(html, "chart-net-over-time", $"Net value (reported) over the 90 days, added up ({currency})", cumulative);
                var adjustedRunning = 0m;
                var adjustedCumulative = d.Trend.Select(t =>
                {
                    if (t.AdjustedNet.In(currency) is { } m)
                    {
                        adjustedRunning += m.Amount;
                    }

                    return Point(t.Week.ToString(), new Money(adjustedRunning, currency));
                }).ToList();
                SvgCharts.Line(html, "chart-adjusted-net-over-time", $"Net value (risk-adjusted) over the 90 days, added up ({currency})", adjustedCumulative);
            }

            html.Append("</div></section>");

            html.Append("<section aria-labelledby=\"breakdown\"><h2 id=\"breakdown\">Where the value is</h2><div class=\"charts\">");
            SvgCharts.HorizontalBars(html, "chart-by-stage", "Use cases by stage",
                d.ByStage.Select(s => new ChartPoint(s.Key.ToString(), s.Value, s.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());
            if (currency is not null)
            {
                SvgCharts.HorizontalBars(html, "chart-by-value-model", $"Net value by value model, 90 days ({currency})",
                    view.ByValueModel.Select(m => Point($"{Words(m.Model)} ({m.UseCases})", m.Net.In(currency))).ToList());
                SvgCharts.HorizontalBars(html, "chart-leakage", $"Value leakage, 90 days ({currency})",
                [
                    Point("Translation (pilot → production)", view.Leakage.Translation.In(currency)),
                    Point("Adoption (users not reached)", view.Leakage.Adoption.In(currency)),
                    Point("Execution (rework, exceptions)", view.Leakage.Execution.In(currency)),
                    Point("Control (run cost above plan)", view.Leakage.Control.In(currency)),
                ]);
            }

            html.Append("</div></section>");

            html.Append("<section aria-labelledby=\"not-working\"><h2 id=\"not-working\">What is not working</h2>");
            // Lists are capped like the digest cards' (worst first); the CSV has every use case.
            var risks = d.Breaches.Select(r => (r, "stop-loss breach")).Concat(d.Stalled.Select(r => (r, "stalled")))
                .Concat(d.Doubtful.Select(r => (r, "figure in doubt")))
                .Concat(d.Stopped.Select(r => (r, "stopped (a healthy kill)"))).ToList();
            TabHtml.Table(html, "Breaches, stalled use cases, figures in doubt and stopped use cases", ["Use case", "What", "Why", "90-day net (reported)"],
                risks.Take(ListLimit).Select(r => Risk(request, r.Item1, r.Item2)), "not-working-table");
            More(html, risks.Count);
            TabHtml.Table(html, "Not reported this week", ["Owner", "Use cases"],
                d.NotReported.Take(ListLimit).Select(m => (IReadOnlyList<string>)[TabHtml.H(m.Owner?.DisplayName ?? "no owner"),
                    string.Join(", ", m.UseCases.Take(10).Select(l => UseCaseLink(request, l.UseCase)))]));
            More(html, d.NotReported.Count);
            html.Append("</section>");

            html.Append("<section aria-labelledby=\"wins\"><h2 id=\"wins\">Wins of the last four weeks</h2>");
            TabHtml.Table(html, "Wins", ["Use case", "Week", "Win", "Net value (reported) that week", "Net value (risk-adjusted) that week"],
                view.Wins.Take(ListLimit).Select(w => (IReadOnlyList<string>)[UseCaseLink(request, w.UseCase), TabHtml.H(w.Week.ToString()), TabHtml.H(w.Story),
                    TabHtml.H(TabHtml.Money(w.Metrics.NetValue)), TabHtml.H(TabHtml.Money(w.Metrics.AdjustedNetValue))]), "wins-table");
            html.Append("</section>");

            var pages = Math.Max(1, (view.Lines.Count + pageSize - 1) / pageSize);
            page = Math.Clamp(page, 1, pages);
            html.Append("<section aria-labelledby=\"all\"><h2 id=\"all\">Use cases</h2>");
            TabHtml.Table(html, $"Use cases, page {page} of {pages}", ["Use case", "Stage", "Owner", "This week net (reported)", "90-day gross", "90-day absorption", "90-day net (reported)", "90-day net (risk-adjusted)", "Recommendation"],
                view.Lines.Skip((page - 1) * pageSize).Take(pageSize).Select(l => (IReadOnlyList<string>)
                [
                    UseCaseLink(request, l.UseCase), TabHtml.H(l.UseCase.Stage.ToString()), TabHtml.H(l.UseCase.Owner?.DisplayName ?? "no owner"),
                    TabHtml.H(TabHtml.Money(l.ThisWeek?.NetValue)), TabHtml.H(TabHtml.Money(l.Evaluation.Rolling.GrossValue)),
                    TabHtml.H(TabHtml.Money(l.Evaluation.Rolling.AbsorptionCost)), TabHtml.H(TabHtml.Money(l.Evaluation.Rolling.NetValue)),
                    TabHtml.H(TabHtml.Money(l.Evaluation.Rolling.AdjustedNetValue)),
                    TabHtml.H(l.Evaluation.Recommendation.Recommendation.ToString().ToLowerInvariant()),
                ]), "use-cases-table");
            if (pages > 1)
            {
                html.Append("<nav aria-label=\"Pages\" class=\"pager\">");
                if (page > 1)
                {
                    html.Append("<a href=\"").Append(TabHtml.H(TabHtml.Link(request, $"/tab/portfolio?week={view.Week}&page={page - 1}"))).Append("\">Previous page</a>");
                }

                if (page < pages)
                {
                    html.Append("<a href=\"").Append(TabHtml.H(TabHtml.Link(request, $"/tab/portfolio?week={view.Week}&page={page + 1}"))).Append("\">Next page</a>");
                }

                html.Append("</nav>");
            }

            html.Append("</section><p class=\"note\">Figures as the digests compute them (the last 13 ISO weeks), read at ")
                .Append(TabHtml.H(view.ComputedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))).Append(".</p>");
        });
    }

    /// <summary>Every use case the page shows, one row each, with the figures the page shows.</summary>
    public static string Csv(PortfolioView view)
    {
        var output = new StringBuilder();
        CsvText.WriteRow(output,
        [
            "useCaseId", "useCaseName", "valueModel", "stage", "owner", "week", "reported", "currency", "weekGross", "weekAbsorption", "weekNet",
            "ninetyDayGross", "ninetyDayAbsorption", "ninetyDayNet", "weekNetRiskAdjusted", "ninetyDayNetRiskAdjusted", "ninetyDayMeasuredShare", "answeredWeeks", "translationLeakage", "adoptionLeakage", "executionLeakage",
            "controlLeakage", "recommendation", "warnings",
        ]);
        foreach (var l in view.Lines)
        {
            var e = l.Evaluation;
            CsvText.WriteRow(output,
            [
                l.Id.ToString("D"), l.UseCase.Name, l.UseCase.ValueModel.ToString(), l.UseCase.Stage.ToString(), l.UseCase.Owner?.DisplayName,
                view.Week.ToString(), l.Report.ToString(), l.UseCase.Currency, Amount(l.ThisWeek?.GrossValue), Amount(l.ThisWeek?.AbsorptionCost),
                Amount(l.ThisWeek?.NetValue), Amount(e.Rolling.GrossValue), Amount(e.Rolling.AbsorptionCost), Amount(e.Rolling.NetValue),
                Amount(l.ThisWeek?.AdjustedNetValue), Amount(e.Rolling.AdjustedNetValue), Share(e.Rolling.MeasuredShare),
                e.Rolling.AnsweredWeeks.ToString(System.Globalization.CultureInfo.InvariantCulture), Amount(e.Leakage.Translation), Amount(e.Leakage.Adoption),
                Amount(e.Leakage.Execution), Amount(e.Leakage.Control), e.Recommendation.Recommendation.ToString().ToLowerInvariant(),
                string.Join("; ", e.Warnings.Select(w => w.Name)),
            ]);
        }

        return output.ToString();
    }

    /// <summary>Rows each list on the page shows at most.</summary>
    public const int ListLimit = 20;

    private static void More(StringBuilder html, int count)
    {
        if (count > ListLimit)
        {
            html.Append("<p class=\"note\">…and ").Append(count - ListLimit).Append(" more: the CSV download has every use case.</p>");
        }
    }

    private static string Share(decimal? share) => share is { } s ? s.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture) : "";

    public static string Amount(Money? money) => money is { } m ? m.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "";

    public static string UseCaseLink(HttpRequest request, UseCase useCase) =>
        $"<a href=\"{TabHtml.H(TabHtml.Link(request, $"/tab/use-cases/{useCase.Id:D}"))}\">{TabHtml.H(useCase.Name)}</a>";

    public static string Words(ValueModel model) => model switch
    {
        ValueModel.WorkforceEmpowerment => "Workforce empowerment",
        ValueModel.AiNativeDistribution => "AI-native distribution",
        ValueModel.ExpertCapability => "Expert capability",
        ValueModel.SystemsAndDependencyManagement => "Systems and dependencies",
        _ => "Process re-engineering",
    };

    private static IReadOnlyList<string> Risk(HttpRequest request, AtRisk risk, string what) =>
        [UseCaseLink(request, risk.Line.UseCase), TabHtml.H(what), TabHtml.H(string.Join(" ", risk.Reasons)), TabHtml.H(TabHtml.Money(risk.Line.Evaluation.Rolling.NetValue))];

    private static ChartPoint Point(string label, Money? money) => new(label, money?.Amount, TabHtml.Money(money));
}
