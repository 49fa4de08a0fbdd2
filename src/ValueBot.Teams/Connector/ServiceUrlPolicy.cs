namespace ValueBot.Teams.Connector;

/// <summary>
/// Decides which <c>serviceUrl</c>s the bot may call with its Connector token (docs/protocol.md §3.8): a URL must
/// start with one of the trusted base URLs (same scheme, host and port, and a path below the base path).
/// In local mode loopback URLs (http or https) are also allowed so that the Agents Playground works.
/// </summary>
public sealed class ServiceUrlPolicy
{
    /// <summary>The public, GCC, GCCH and DoD Teams connector hosts, https only.</summary>
    public static IReadOnlyList<string> DefaultTrustedServiceUrls { get; } =
    [
        "https://smba.trafficmanager.net/",
        "https://smba.infra.gcc.teams.microsoft.com/",
        "https://smba.infra.gov.teams.microsoft.us/",
        "https://smba.infra.dod.teams.microsoft.us/",
    ];

    private readonly IReadOnlyList<Uri> _trusted;

    /// <param name="trustedBaseUrls">Trusted base URLs; empty or null means <see cref="DefaultTrustedServiceUrls"/>.</param>
    /// <param name="allowLoopback">True in local mode only.</param>
    public ServiceUrlPolicy(IEnumerable<string>? trustedBaseUrls, bool allowLoopback)
    {
        var list = trustedBaseUrls?.Where(u => !string.IsNullOrWhiteSpace(u)).ToList() ?? [];
        if (list.Count == 0)
        {
            list = [.. DefaultTrustedServiceUrls];
        }

        _trusted = list.Select(ParseBase).ToList();
        AllowLoopback = allowLoopback;
    }

    /// <summary>Whether loopback service URLs are allowed (local mode).</summary>
    public bool AllowLoopback { get; }

    /// <summary>The trusted base URLs in use.</summary>
    public IReadOnlyList<Uri> TrustedBaseUrls => _trusted;

    /// <summary>True when the bot may send its token to <paramref name="serviceUrl"/>.</summary>
    public bool IsTrusted(string? serviceUrl)
    {
        if (string.IsNullOrWhiteSpace(serviceUrl)
            || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        if (AllowLoopback && uri.IsLoopback)
        {
            return true;
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return _trusted.Any(t =>
            string.Equals(t.Scheme, uri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(t.Host, uri.Host, StringComparison.OrdinalIgnoreCase)
            && t.Port == uri.Port
            && path.StartsWith(t.AbsolutePath, StringComparison.OrdinalIgnoreCase));
    }

    private static Uri ParseBase(string value)
    {
        var withSlash = value.EndsWith('/') ? value : value + "/";
        if (!Uri.TryCreate(withSlash, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"Trusted service URL '{value}' is not an absolute http(s) URL.", nameof(value));
        }

        return uri;
    }
}
