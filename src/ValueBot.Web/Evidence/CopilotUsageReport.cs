using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ValueBot.Domain.Evidence;
using ValueBot.Web.People;

namespace ValueBot.Web.Evidence;

/// <summary>How the Copilot usage report is asked for (<c>CopilotUsage:*</c>).</summary>
public sealed class CopilotUsageOptions
{
    public const string SectionName = "CopilotUsage";

    /// <summary><c>json</c> (<c>$format=application/json</c>, paged with <c>@odata.nextLink</c>) or <c>csv</c> (302 to a download).</summary>
    public string Format { get; set; } = "json";

    /// <summary>When the daily reading runs, in the organisation's zone (the report is refreshed once a day).</summary>
    public TimeOnly ReadAt { get; set; } = new(6, 0);
}

/// <summary>One reading of the report: its rows, its refresh date, and whether the tenant conceals user names.</summary>
/// <param name="ConcealedBySettings">What <c>admin/reportSettings</c> said; null when it could not be read (403: no permission).</param>
public sealed record CopilotUsageReading(IReadOnlyList<CopilotUsageRow> Rows, DateOnly? RefreshDate, bool? ConcealedBySettings)
{
    /// <summary>Concealed by the settings, or — when they could not be read — because every name in the report is a hash.</summary>
    public bool NamesConcealed => ConcealedBySettings ?? CopilotUsage.LooksConcealed(Rows);
}

/// <summary>The result of a Graph call: a value, or why there is none.</summary>
public sealed record GraphAnswer<T>(T? Value, GraphFailure? Failure)
{
    public static GraphAnswer<T> Of(T value) => new(value, null);

    public static GraphAnswer<T> Failed(GraphFailure failure) => new(default, failure);
}

/// <summary>Reads Graph's Microsoft 365 Copilot usage report and the members of a target group.</summary>
public interface ICopilotUsageReport
{
    bool Configured { get; }

    Task<GraphAnswer<CopilotUsageReading>> ReadAsync(CancellationToken cancellationToken);

    Task<GraphAnswer<IReadOnlyList<GroupMember>>> MembersAsync(string groupId, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="ICopilotUsageReport"/> over Graph v1.0 with the app-only token (docs/protocol.md §8.4): <c>GET
/// /copilot/reports/getMicrosoft365CopilotUsageUserDetail(period='D7')</c> (<c>Reports.Read.All</c>) as JSON pages or as the
/// CSV the 302 points to (the pre-authenticated download gets no token: HttpClient drops it on redirect), <c>GET
/// /admin/reportSettings</c> (<c>ReportSettings.Read.All</c>, optional: without it concealment is read off the names), and
/// <c>GET /groups/{id}/transitiveMembers/microsoft.graph.user</c> (<c>GroupMember.Read.All</c>), paged. Throttling (429
/// with Retry-After) is retried by the Graph HttpClient's retry handler.
/// </summary>
internal sealed class GraphCopilotUsageReport(GraphClients clients, IHttpClientFactory httpClients, IOptions<CopilotUsageOptions> options) : ICopilotUsageReport
{
    /// <summary>Pages followed at most, so a looping nextLink cannot keep a reading running.</summary>
    public const int MaxPages = 1000;

    public bool Configured => clients.Options.Enabled;

    public async Task<GraphAnswer<CopilotUsageReading>> ReadAsync(CancellationToken cancellationToken)
    {
        var settings = await ConcealedBySettingsAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Failure is { } settingsFailure)
        {
            return GraphAnswer<CopilotUsageReading>.Failed(settingsFailure);
        }

        var csv = string.Equals(options.Value.Format, "csv", StringComparison.OrdinalIgnoreCase);
        var url = $"{clients.BaseUrl}/copilot/reports/getMicrosoft365CopilotUsageUserDetail(period='D7')?$format=" +
            (csv ? "text/csv" : "application/json");
        var rows = new List<CopilotUsageRow>();
        DateOnly? refresh = null;
        using var http = httpClients.CreateClient(GraphClients.HttpClientName);
        for (var page = 0; url is not null; page++)
        {
            if (page == MaxPages)
            {
                return GraphAnswer<CopilotUsageReading>.Failed(new GraphFailure(null, null, $"The report had more than {MaxPages} pages."));
            }

            using var response = await SendAsync(http, url, cancellationToken).ConfigureAwait(false);
            if (response.Failure is { } failure)
            {
                return GraphAnswer<CopilotUsageReading>.Failed(failure);
            }

            var body = await response.Message!.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            url = null;
            try
            {
                if (IsJson(response.Message.Content.Headers.ContentType))
                {
                    url = ReadJsonPage(body, rows, ref refresh);
                }
                else
                {
                    ReadCsv(body, rows, ref refresh);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                return GraphAnswer<CopilotUsageReading>.Failed(new GraphFailure(null, null, $"The usage report could not be read: {e.Message}"));
            }
        }

        return GraphAnswer<CopilotUsageReading>.Of(new CopilotUsageReading(rows, refresh, settings.Value));
    }

    public async Task<GraphAnswer<IReadOnlyList<GroupMember>>> MembersAsync(string groupId, CancellationToken cancellationToken)
    {
        var members = new List<GroupMember>();
        string? url = $"{clients.BaseUrl}/groups/{Uri.EscapeDataString(groupId)}/transitiveMembers/microsoft.graph.user?$select=id,userPrincipalName&$top=999";
        using var http = httpClients.CreateClient(GraphClients.HttpClientName);
        for (var page = 0; url is not null; page++)
        {
            if (page == MaxPages)
            {
                return GraphAnswer<IReadOnlyList<GroupMember>>.Failed(new GraphFailure(null, null, $"The group had more than {MaxPages} pages of members."));
            }

            using var response = await SendAsync(http, url, cancellationToken).ConfigureAwait(false);
            if (response.Failure is { } failure)
            {
                return GraphAnswer<IReadOnlyList<GroupMember>>.Failed(failure);
            }

            try
            {
                using var json = JsonDocument.Parse(await response.Message!.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                foreach (var item in json.RootElement.GetProperty("value").EnumerateArray())
                {
                    if (Text(item, "id") is { } id)
                    {
                        members.Add(new GroupMember(id, Text(item, "userPrincipalName")));
                    }
                }

                url = Text(json.RootElement, "@odata.nextLink");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return GraphAnswer<IReadOnlyList<GroupMember>>.Failed(new GraphFailure(null, null, $"The group's members could not be read: {e.Message}"));
            }
        }

        return GraphAnswer<IReadOnlyList<GroupMember>>.Of(members);
    }

    private async Task<GraphAnswer<bool?>> ConcealedBySettingsAsync(CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(GraphClients.HttpClientName);
        using var response = await SendAsync(http, $"{clients.BaseUrl}/admin/reportSettings", cancellationToken).ConfigureAwait(false);
        if (response.Failure is { StatusCode: 403 or 401 })
        {
            return GraphAnswer<bool?>.Of(null); // ReportSettings.Read.All not granted: the names themselves tell.
        }

        if (response.Failure is { } failure)
        {
            return GraphAnswer<bool?>.Failed(failure);
        }

        try
        {
            using var json = JsonDocument.Parse(await response.Message!.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return GraphAnswer<bool?>.Of(json.RootElement.TryGetProperty("displayConcealedNames", out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null);
        }
        catch (JsonException)
        {
            return GraphAnswer<bool?>.Of(null);
        }
    }

    private static async Task<Sent> SendAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GraphClients.ToFailure(e, cancellationToken) is { } failure)
        {
            return new Sent(null, failure);
        }

        if (response.IsSuccessStatusCode)
        {
            return new Sent(response, null);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string? code = null, message = null;
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("error", out var error))
                {
                    code = Text(error, "code");
                    message = Text(error, "message");
                }
            }
            catch (JsonException)
            {
                // Not Graph's error shape; the status says enough.
            }

            var retryAfter = response.Headers.RetryAfter?.Delta;
            return new Sent(null, new GraphFailure((int)response.StatusCode, code, message ?? response.ReasonPhrase ?? "Graph refused the request.", retryAfter));
        }
    }

    private static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is { } media && media.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static string? ReadJsonPage(string body, List<CopilotUsageRow> rows, ref DateOnly? refresh)
    {
        using var json = JsonDocument.Parse(body);
        foreach (var item in json.RootElement.GetProperty("value").EnumerateArray())
        {
            refresh ??= Date(Text(item, "reportRefreshDate"));
            if (Text(item, "userPrincipalName") is { } upn)
            {
                rows.Add(new CopilotUsageRow(upn, Date(Text(item, "lastActivityDate"))));
            }
        }

        return Text(json.RootElement, "@odata.nextLink");
    }

    private static void ReadCsv(string body, List<CopilotUsageRow> rows, ref DateOnly? refresh)
    {
        using var records = Admin.CsvText.Read(body).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new FormatException("The CSV has no header.");
        }

        var header = records.Current.Fields;
        int Column(string name) => Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
            ? i
            : throw new FormatException($"The CSV has no column '{name}'.");
        var upnColumn = Column("User Principal Name");
        var lastColumn = Column("Last Activity Date");
        var refreshColumn = Column("Report Refresh Date");
        var width = Math.Max(upnColumn, Math.Max(lastColumn, refreshColumn));
        while (records.MoveNext())
        {
            var fields = records.Current.Fields;
            if (fields.Length <= width)
            {
                continue;
            }

            refresh ??= Date(fields[refreshColumn]);
            rows.Add(new CopilotUsageRow(fields[upnColumn], Date(fields[lastColumn])));
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Graph writes dates as yyyy-MM-dd; an empty string (v1.0) or null (beta) means no activity.
    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private sealed record Sent(HttpResponseMessage? Message, GraphFailure? Failure) : IDisposable
    {
        public void Dispose() => Message?.Dispose();
    }
}
