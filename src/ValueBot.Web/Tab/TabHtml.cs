using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ValueBot.Domain.Common;
using ValueBot.Domain.Digests;

namespace ValueBot.Web.Tab;

/// <summary>The tab's page frame and the small pieces every page uses. Every text that comes from data goes through <see cref="H"/>.</summary>
public static class TabHtml
{
    /// <summary>Teams' three themes; anything else is the default (light) theme.</summary>
    public static string Theme(HttpRequest request) => request.Query["theme"].ToString() switch
    {
        "dark" => "dark",
        "contrast" => "contrast",
        "default" => "default",
        _ => "",
    };

    public static string H(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Money(Money? money) => money?.ToString() ?? "–";

    public static string Totals(MoneyTotals totals) => totals.ToString();

    public static string Percent(decimal? share) => share is { } s ? (s * 100m).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "–";

    /// <summary>A link inside the tab that keeps the Teams theme of the page it is on.</summary>
    public static string Link(HttpRequest request, string path)
    {
        var theme = Theme(request);
        if (theme.Length == 0)
        {
            return path;
        }

        return path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "theme=" + theme;
    }

    /// <summary>The page: head with the tab's own stylesheet and script (served by ValueBot, no CDN), the navigation and the body.</summary>
    public static string Page(HttpRequest request, string title, TabViewer? viewer, string current, Action<StringBuilder> body)
    {
        var html = new StringBuilder(16 * 1024);
        var theme = Theme(request);
        html.Append("<!DOCTYPE html><html lang=\"en\"");
        if (theme.Length > 0)
        {
            html.Append(" data-theme=\"").Append(theme).Append('"');
        }

        html.Append("><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(H(title)).Append(" · ValueBot</title>")
            .Append("<link rel=\"stylesheet\" href=\"/tab/assets/tab.css\">")
            .Append("<script type=\"module\" src=\"/tab/assets/tab.js\"></script></head><body data-page=\"").Append(H(current)).Append("\">")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"bar\"><span class=\"brand\">ValueBot</span>");
        if (viewer is not null)
        {
            html.Append("<nav aria-label=\"Tab pages\"><ul>");
            NavItem(html, request, "/tab/portfolio", "Portfolio", current == "portfolio");
            if (viewer.IsAdmin)
            {
                NavItem(html, request, "/tab/delivery", "Delivery", current == "delivery");
            }

            html.Append("</ul></nav><span class=\"who\" data-viewer-role=\"").Append(H(viewer.Role)).Append("\">").Append(H(viewer.Name))
                .Append(" <small>(").Append(H(viewer.Role)).Append(")</small></span>")
                .Append("<form method=\"post\" action=\"/tab/sign-out\" class=\"inline\"><button type=\"submit\" class=\"link\">Sign out</button></form>");
        }

        html.Append("</header><main id=\"main\" tabindex=\"-1\"><h1>").Append(H(title)).Append("</h1>");
        body(html);
        html.Append("</main></body></html>");
        return html.ToString();
    }

    public static void Figure(StringBuilder html, string label, string value, string? note = null, string? id = null)
    {
        html.Append("<div class=\"figure\"").Append(id is null ? "" : $" data-figure=\"{id}\"").Append("><span class=\"figure-label\">").Append(H(label))
            .Append("</span><span class=\"figure-value\">").Append(H(value)).Append("</span>");
        if (note is not null)
        {
            html.Append("<span class=\"figure-note\">").Append(H(note)).Append("</span>");
        }

        html.Append("</div>");
    }

    /// <summary>A table whose cells are already encoded HTML (header cells are plain text).</summary>
    public static void Table(StringBuilder html, string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? id = null)
    {
        html.Append("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"").Append(H(caption)).Append("\"><table")
            .Append(id is null ? "" : $" id=\"{id}\"").Append("><caption>").Append(H(caption)).Append("</caption><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(H(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(row[i]).Append(i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append("<tr><td colspan=\"").Append(headers.Count).Append("\">Nothing here.</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    public static string Message(HttpRequest request, string title, string text, int status, TabViewer? viewer = null) =>
        Page(request, title, viewer, "", html => html.Append("<p role=\"alert\">").Append(H(text)).Append("</p>")
            .Append("<p><a href=\"").Append(H(Link(request, "/tab/portfolio"))).Append("\">Back to the portfolio</a></p>")
            .Append("<!-- status ").Append(status).Append(" -->"));

    private static void NavItem(StringBuilder html, HttpRequest request, string path, string label, bool current)
    {
        html.Append("<li><a href=\"").Append(H(Link(request, path))).Append('"').Append(current ? " aria-current=\"page\"" : "").Append('>').Append(H(label)).Append("</a></li>");
    }
}
