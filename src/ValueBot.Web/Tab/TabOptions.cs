namespace ValueBot.Web.Tab;

/// <summary>Settings of the Teams tab (section <c>Tab</c>).</summary>
public sealed class TabOptions
{
    public const string SectionName = "Tab";

    /// <summary>
    /// The public host name the tab is served from (the manifest's <c>{{BOT_DOMAIN}}</c>). Teams single sign-on tokens
    /// are accepted for <c>api://{Host}/{Bot:AppId}</c>, the manifest's <c>webApplicationInfo.resource</c>.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>Overrides the accepted SSO audience (default <c>api://{Host}/{Bot:AppId}</c>).</summary>
    public string? Audience { get; set; }

    /// <summary>Offer the Entra sign-in (OpenID Connect) outside Teams; needs <c>Bot:AppId</c> and <c>Bot:TenantId</c>.</summary>
    public bool EntraSignIn { get; set; } = true;

    /// <summary>How long a tab session lasts after the last request.</summary>
    public TimeSpan SessionDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Rows per page in the tab's tables (the CSV always has every row the viewer may see).</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>How long the kept portfolio is shown without checking whether the data changed (default 10 s; 0 checks on every request).</summary>
    public TimeSpan FreshnessInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where the built browser assets are (<c>tab.js</c>, <c>tab.css</c>); default <c>wwwroot/tab</c> under the content
    /// root, else under the application's folder.
    /// </summary>
    public string? AssetsFolder { get; set; }
}
