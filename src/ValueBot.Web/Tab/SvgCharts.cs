using System.Globalization;
using System.Text;

namespace ValueBot.Web.Tab;

/// <summary>One value of a chart: its label, the value (null = no data, drawn as a gap, never as zero) and how to print it.</summary>
public sealed record ChartPoint(string Label, decimal? Value, string Text);

/// <summary>
/// Charts drawn on the server as inline SVG: no script needed to see them, crisp at any width, coloured by the page's
/// theme (CSS custom properties), each followed by its numbers as a table for screen readers and keyboard users.
/// </summary>
public static class SvgCharts
{
    private const int Width = 360;
    private const int Height = 180;
    private const int Left = 8;
    private const int Right = 8;
    private const int Top = 18;
    private const int Bottom = 24;

    /// <summary>A line over time; gaps where a week has no data.</summary>
    public static void Line(StringBuilder html, string id, string title, IReadOnlyList<ChartPoint> points)
    {
        Figure(html, id, title, points, svg =>
        {
            var (min, max) = Range(points);
            var path = new StringBuilder();
            var pen = false;
            for (var i = 0; i < points.Count; i++)
            {
                if (points[i].Value is not { } v)
                {
                    pen = false;
                    continue;
                }

                path.Append(pen ? " L" : (path.Length > 0 ? " M" : "M")).Append(F(X(i, points.Count))).Append(' ').Append(F(Y(v, min, max)));
                pen = true;
            }

            ZeroLine(svg, min, max);
            if (path.Length > 0)
            {
                svg.Append("<path class=\"chart-line\" d=\"").Append(path).Append("\"/>");
            }

            for (var i = 0; i < points.Count; i++)
            {
                if (points[i].Value is { } v)
                {
                    svg.Append("<circle class=\"chart-dot\" r=\"3\" cx=\"").Append(F(X(i, points.Count))).Append("\" cy=\"").Append(F(Y(v, min, max)))
                        .Append("\"><title>").Append(TabHtml.H(points[i].Label)).Append(": ").Append(TabHtml.H(points[i].Text)).Append("</title></circle>");
                }
            }

            Axis(svg, points, min, max);
        });
    }

    /// <summary>Vertical bars, positive above the zero line and negative below it in another colour.</summary>
    public static void Bars(StringBuilder html, string id, string title, IReadOnlyList<ChartPoint> points)
    {
        Figure(html, id, title, points, svg =>
        {
            var (min, max) = Range(points);
            ZeroLine(svg, min, max);
            var slot = (Width - Left - Right) / (double)Math.Max(1, points.Count);
            var zero = Y(0m, min, max);
            for (var i = 0; i < points.Count; i++)
            {
                if (points[i].Value is not { } v)
                {
                    continue;
                }

                var y = Y(v, min, max);
                var top = Math.Min(y, zero);
                var height = Math.Max(1, Math.Abs(zero - y));
                var x = Left + (i * slot) + (slot * 0.15);
                svg.Append("<path class=\"").Append(v < 0 ? "chart-bar negative" : "chart-bar").Append("\" d=\"M").Append(F(x)).Append(' ').Append(F(top))
                    .Append(" h").Append(F(slot * 0.7)).Append(" v").Append(F(height)).Append(" h-").Append(F(slot * 0.7)).Append(" Z\"><title>")
                    .Append(TabHtml.H(points[i].Label)).Append(": ").Append(TabHtml.H(points[i].Text)).Append("</title></path>");
            }

            Axis(svg, points, min, max);
        });
    }

    /// <summary>Horizontal bars with their labels and values written beside them (by stage, by value model, leakage).</summary>
    public static void HorizontalBars(StringBuilder html, string id, string title, IReadOnlyList<ChartPoint> points)
    {
        const int row = 30;
        var height = Math.Max(row, points.Count * row) + 8;
        var max = points.Select(p => Math.Abs(p.Value ?? 0m)).DefaultIfEmpty(0m).Max();
        html.Append("<figure class=\"chart\" id=\"").Append(id).Append("\"><svg role=\"img\" aria-labelledby=\"").Append(id).Append("-title\" viewBox=\"0 0 ")
            .Append(Width).Append(' ').Append(height).Append("\"><title id=\"").Append(id).Append("-title\">").Append(TabHtml.H(title)).Append("</title>");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var y = 4 + (i * row);
            var length = max == 0m || p.Value is not { } v ? 0d : (double)(Math.Abs(v) / max) * (Width - Left - Right);
            html.Append("<text class=\"chart-label\" x=\"").Append(Left).Append("\" y=\"").Append(y + 10).Append("\">").Append(TabHtml.H(p.Label))
                .Append(" — ").Append(TabHtml.H(p.Text)).Append("</text>");
            html.Append("<path class=\"").Append(p.Value < 0 ? "chart-bar negative" : "chart-bar").Append("\" d=\"M").Append(Left).Append(' ').Append(y + 14)
                .Append(" h").Append(F(Math.Max(length, p.Value is null or 0m ? 0 : 1))).Append(" v10 h-").Append(F(Math.Max(length, p.Value is null or 0m ? 0 : 1)))
                .Append(" Z\"/>");
        }

        html.Append("</svg><figcaption>").Append(TabHtml.H(title)).Append("</figcaption>");
        DataTable(html, title, points);
        html.Append("</figure>");
    }

    private static void Figure(StringBuilder html, string id, string title, IReadOnlyList<ChartPoint> points, Action<StringBuilder> draw)
    {
        html.Append("<figure class=\"chart\" id=\"").Append(id).Append("\"><svg role=\"img\" aria-labelledby=\"").Append(id).Append("-title\" viewBox=\"0 0 ")
            .Append(Width).Append(' ').Append(Height).Append("\"><title id=\"").Append(id).Append("-title\">").Append(TabHtml.H(title)).Append("</title>");
        if (points.All(p => p.Value is null))
        {
            html.Append("<text class=\"chart-label\" x=\"").Append(Width / 2).Append("\" y=\"").Append(Height / 2).Append("\" text-anchor=\"middle\">No data yet</text>");
        }
        else
        {
            draw(html);
        }

        html.Append("</svg><figcaption>").Append(TabHtml.H(title)).Append("</figcaption>");
        DataTable(html, title, points);
        html.Append("</figure>");
    }

    private static void DataTable(StringBuilder html, string title, IReadOnlyList<ChartPoint> points)
    {
        html.Append("<details><summary>The numbers</summary><table><caption class=\"visually-hidden\">").Append(TabHtml.H(title))
            .Append("</caption><tbody>");
        foreach (var p in points)
        {
            html.Append("<tr><th scope=\"row\">").Append(TabHtml.H(p.Label)).Append("</th><td class=\"num\">").Append(TabHtml.H(p.Text)).Append("</td></tr>");
        }

        html.Append("</tbody></table></details>");
    }

    private static void ZeroLine(StringBuilder svg, decimal min, decimal max)
    {
        if (min < 0m && max > 0m)
        {
            var y = F(Y(0m, min, max));
            svg.Append("<path class=\"chart-zero\" d=\"M").Append(Left).Append(' ').Append(y).Append(" H").Append(Width - Right).Append("\"/>");
        }
    }

    private static void Axis(StringBuilder svg, IReadOnlyList<ChartPoint> points, decimal min, decimal max)
    {
        var top = points.Where(p => p.Value == max).Select(p => p.Text).FirstOrDefault() ?? "";
        // The range always includes zero; when no point is the minimum, zero is.
        var bottom = points.Where(p => p.Value == min).Select(p => p.Text).FirstOrDefault() ?? "0";
        svg.Append("<text class=\"chart-label\" x=\"").Append(Left).Append("\" y=\"12\">max ").Append(TabHtml.H(top)).Append("</text>");
        svg.Append("<text class=\"chart-label\" x=\"").Append(Width - Right).Append("\" y=\"12\" text-anchor=\"end\">min ").Append(TabHtml.H(bottom)).Append("</text>");
        if (points.Count > 0)
        {
            svg.Append("<text class=\"chart-label\" x=\"").Append(Left).Append("\" y=\"").Append(Height - 6).Append("\">").Append(TabHtml.H(points[0].Label)).Append("</text>");
            svg.Append("<text class=\"chart-label\" x=\"").Append(Width - Right).Append("\" y=\"").Append(Height - 6).Append("\" text-anchor=\"end\">")
                .Append(TabHtml.H(points[^1].Label)).Append("</text>");
        }
    }

    private static (decimal Min, decimal Max) Range(IReadOnlyList<ChartPoint> points)
    {
        var values = points.Select(p => p.Value).OfType<decimal>().ToList();
        if (values.Count == 0)
        {
            return (0m, 1m);
        }

        var min = Math.Min(0m, values.Min());
        var max = Math.Max(0m, values.Max());
        return min == max ? (min - 1m, max + 1m) : (min, max);
    }

    private static double X(int index, int count) =>
        count <= 1 ? Width / 2d : Left + 4 + (index * (Width - Left - Right - 8) / (double)(count - 1));

    private static double Y(decimal value, decimal min, decimal max) =>
        Top + ((double)((max - value) / (max - min)) * (Height - Top - Bottom));

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
