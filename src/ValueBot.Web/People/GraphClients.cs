using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ValueBot.Web.People;

/// <summary>
/// Builds a <see cref="GraphServiceClient"/> per operation over the named HttpClient (so IHttpClientFactory can
/// recycle connections), and turns the SDK's exceptions into <see cref="GraphFailure"/>s.
/// </summary>
public sealed class GraphClients(IHttpClientFactory httpClients, IOptions<GraphOptions> options)
{
    public const string HttpClientName = "ValueBot.Graph";

    public GraphOptions Options => options.Value;

    public string BaseUrl => Options.BaseUrl.TrimEnd('/');

    // Anonymous: the bearer token is added by GraphAuthenticationHandler on the HttpClient.
    public GraphServiceClient Create() => new(httpClients.CreateClient(HttpClientName), new AnonymousAuthenticationProvider(), BaseUrl);

    public static bool IsStatus(Exception exception, int status) => exception is ApiException api && api.ResponseStatusCode == status;

    /// <summary>The failure an exception stands for, or null when it is the caller's own cancellation (which must propagate).</summary>
    public static GraphFailure? ToFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        ODataError odata => new GraphFailure(
            odata.ResponseStatusCode,
            odata.Error?.Code,
            odata.Error?.Message ?? odata.Message,
            RetryAfter(odata.ResponseHeaders)),
        ApiException api => new GraphFailure(api.ResponseStatusCode, null, api.Message, RetryAfter(api.ResponseHeaders)),
        OperationCanceledException => new GraphFailure(null, null, "Graph did not answer in time."),
        HttpRequestException http => new GraphFailure(null, null, $"Graph is unreachable: {http.Message}"),
        Azure.Identity.AuthenticationFailedException auth => new GraphFailure(null, null, $"No Graph token: {auth.Message}"),
        _ => null,
    };

    /// <summary>Quotes a value for an OData <c>$filter</c> string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static TimeSpan? RetryAfter(IDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        var value = headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }
}
