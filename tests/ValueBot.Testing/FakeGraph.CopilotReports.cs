using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ValueBot.Testing;

/// <summary>
/// The fake's Microsoft 365 usage reports, in the shapes Graph documents for
/// <c>GET /v1.0/copilot/reports/getMicrosoft365CopilotUsageUserDetail(period='D7')</c>: with <c>$format=application/json</c>
/// a JSON page (<c>value</c>, empty strings for no activity, <c>@odata.nextLink</c> after <see cref="ReportPageSize"/>
/// rows); with <c>$format=text/csv</c> (or none) a <c>302 Found</c> whose Location is a pre-authenticated download
/// outside <c>/v1.0</c> serving the CSV as <c>application/octet-stream</c>. <c>GET /v1.0/admin/reportSettings</c> (403
/// when <see cref="ReportSettingsForbidden"/>), and with <see cref="ConcealNames"/> every user principal name and display
/// name in the report is a 32-hex-digit hash, as Microsoft 365 shows them. <c>GET
/// /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user</c> pages by <see cref="MembersPageSize"/>.
/// </summary>
public sealed partial class FakeGraph
{
    private const string DownloadSegment = "reports-download";
    private static readonly string[] Periods = ["D7", "D30", "D90", "D180", "ALL"];
    private readonly ConcurrentDictionary<string, CopilotUsageEntry> _copilotUsage = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _downloads = new(StringComparer.Ordinal);

    /// <summary>The report's "Report Refresh Date".</summary>
    public DateOnly ReportRefreshDate { get; set; } = new(2026, 3, 14);

    /// <summary>The tenant conceals user, group and site names in reports (admin/reportSettings displayConcealedNames).</summary>
    public bool ConcealNames { get; set; }

    /// <summary>The app lacks ReportSettings.Read.All: <c>admin/reportSettings</c> answers 403.</summary>
    public bool ReportSettingsForbidden { get; set; }

    /// <summary>Rows per page of the JSON report.</summary>
    public int ReportPageSize { get; set; } = 200;

    /// <summary>Members per page of transitiveMembers (Graph's default is 100).</summary>
    public int MembersPageSize { get; set; } = 100;

    /// <summary>Adds (or replaces) a user's row in the Copilot usage report.</summary>
    public void SetCopilotUsage(CopilotUsageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _copilotUsage[entry.UserPrincipalName] = entry;
    }

    /// <summary>The hash the report shows instead of a name when names are concealed.</summary>
    public static string Conceal(string name) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(name.ToUpperInvariant())));

    private ScriptedResponse ReportSettings() => ReportSettingsForbidden
        ? new(403, Error("Authorization_RequestDenied", "Insufficient privileges to complete the operation."))
        : Json(200, new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#admin/reportSettings/$entity",
            ["id"] = "reportSettings",
            ["displayConcealedNames"] = ConcealNames,
        });

    private ScriptedResponse CopilotUsageUserDetail(string function, IQueryCollection query)
    {
        var period = function["getMicrosoft365CopilotUsageUserDetail(".Length..].TrimEnd(')');
        if (!period.StartsWith("period='", StringComparison.Ordinal) || !Periods.Contains(period[8..].TrimEnd('\''), StringComparer.Ordinal))
        {
            return new(400, Error("BadRequest", "Invalid value for the period parameter. Supported values are D7, D30, D90, D180 and ALL."));
        }

        var rows = _copilotUsage.Values.OrderBy(e => e.UserPrincipalName, StringComparer.OrdinalIgnoreCase).ToList();
        var format = (string?)query["$format"] ?? "text/csv";
        if (format == "application/json")
        {
            var skip = int.TryParse(query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var page = rows.Skip(skip).Take(ReportPageSize).Select(e => (JsonNode)JsonRow(e)).ToArray();
            var body = new JsonObject { ["value"] = new JsonArray(page) };
            if (skip + ReportPageSize < rows.Count)
            {
                body["@odata.nextLink"] = $"{BaseUrl}/copilot/reports/{function}?$format=application/json&$skiptoken={skip + ReportPageSize}";
            }

            return Json(200, body);
        }

        if (format != "text/csv")
        {
            return new(400, Error("BadRequest", $"The format '{format}' is not supported."));
        }

        var token = Guid.NewGuid().ToString("N");
        _downloads[token] = Csv(rows);
        var root = BaseUrl[..BaseUrl.LastIndexOf("/v1.0", StringComparison.Ordinal)];
        return new(302, "", new Dictionary<string, string> { ["Location"] = $"{root}/{DownloadSegment}/{token}" }) { ContentType = "text/plain" };
    }

    private ScriptedResponse Download(string token) => _downloads.TryRemove(token, out var csv)
        ? new(200, csv) { ContentType = "application/octet-stream" }
        : new(404, "The download link has expired.") { ContentType = "text/plain" };

    private JsonObject JsonRow(CopilotUsageEntry e) => new()
    {
        ["reportRefreshDate"] = Date(ReportRefreshDate),
        ["userPrincipalName"] = ConcealNames ? Conceal(e.UserPrincipalName) : e.UserPrincipalName,
        ["displayName"] = ConcealNames ? Conceal(e.DisplayName) : e.DisplayName,
        ["lastActivityDate"] = Date(e.LastActivityDate),
        ["copilotChatLastActivityDate"] = Date(e.LastActivityDate),
        ["microsoftTeamsCopilotLastActivityDate"] = Date(e.TeamsLastActivityDate),
        ["wordCopilotLastActivityDate"] = "",
        ["excelCopilotLastActivityDate"] = "",
        ["powerPointCopilotLastActivityDate"] = "",
        ["outlookCopilotLastActivityDate"] = "",
        ["oneNoteCopilotLastActivityDate"] = "",
        ["loopCopilotLastActivityDate"] = "",
        ["copilotActivityUserDetailsByPeriod"] = new JsonArray(new JsonObject { ["reportPeriod"] = 7 }),
    };

    private string Csv(IEnumerable<CopilotUsageEntry> rows)
    {
        var csv = new StringBuilder("\uFEFFReport Refresh Date,Report Period,User Principal Name,Display Name,Last Activity Date," +
            "Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,Excel Copilot Last Activity Date," +
            "PowerPoint Copilot Last Activity Date,Outlook Copilot Last Activity Date,OneNote Copilot Last Activity Date," +
            "Loop Copilot Last Activity Date,Copilot Chat Last Activity Date\r\n");
        foreach (var e in rows)
        {
            var upn = ConcealNames ? Conceal(e.UserPrincipalName) : e.UserPrincipalName;
            var name = ConcealNames ? Conceal(e.DisplayName) : "\"" + e.DisplayName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            csv.Append(CultureInfo.InvariantCulture, $"{Date(ReportRefreshDate)},7,{upn},{name},{Date(e.LastActivityDate)},{Date(e.TeamsLastActivityDate)},,,,,,,{Date(e.LastActivityDate)}\r\n");
        }

        return csv.ToString();
    }

    private ScriptedResponse TransitiveUsers(string groupId, IQueryCollection query)
    {
        if (!_objects.TryGetValue(groupId, out var group) || (string?)group["@odata.type"] != "#microsoft.graph.group")
        {
            return NotFound(groupId);
        }

        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CollectUsers(groupId, users, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        var all = users.Order(StringComparer.OrdinalIgnoreCase).Select(FindUser).OfType<JsonObject>().ToList();
        var skip = int.TryParse(query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var size = int.TryParse(query["$top"], NumberStyles.None, CultureInfo.InvariantCulture, out var top) ? Math.Min(top, MembersPageSize) : MembersPageSize;
        var page = all.Skip(skip).Take(size).Select(u =>
        {
            var item = Select(u, query["$select"], "users/$entity");
            item.Remove("@odata.context");
            item["@odata.type"] = UserType;
            return (JsonNode)item;
        });
        var body = Collection("users", page);
        if (skip + size < all.Count)
        {
            body["@odata.nextLink"] = $"{BaseUrl}/groups/{groupId}/transitiveMembers/microsoft.graph.user?$select={query["$select"]}&$top={size}&$skiptoken={skip + size}";
        }

        return Json(200, body);
    }

    private void CollectUsers(string groupId, HashSet<string> users, HashSet<string> visited)
    {
        if (!visited.Add(groupId) || !_groupMembers.TryGetValue(groupId, out var members))
        {
            return;
        }

        foreach (var member in members.Keys)
        {
            if (_groupMembers.ContainsKey(member))
            {
                CollectUsers(member, users, visited);
            }
            else
            {
                users.Add(member);
            }
        }
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
