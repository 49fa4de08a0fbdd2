using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Hosting;

/// <summary>Limits of the HTTP edge, section <c>RateLimits</c> (per instance).</summary>
public sealed class EdgeRateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// Requests per minute one client address may send to <c>/api/messages</c>. Teams delivers every user's activities
    /// from a few gateway addresses, so this is a ceiling against a runaway caller, far above a Monday-morning burst
    /// (200 answers/s); abuse by one person or chat is held by the per-conversation and per-sender buckets.
    /// </summary>
    public int MessagesPerAddressPerMinute { get; set; } = 60_000;

    /// <summary>Requests per minute one admin (or, before sign-in, one address) may send to <c>/api/admin</c>.</summary>
    public int AdminPerCallerPerMinute { get; set; } = 120;
}

/// <summary>
/// The HTTP edge: the shared framework's rate limiter (429 with Retry-After) on the bot and admin endpoints, security
/// headers on every response (nosniff, frame-ancestors limited to Teams and Microsoft 365 hosts, no referrer, HSTS
/// outside Development) and no <c>Server</c> header.
/// </summary>
public static class WebSecurity
{
    public const string MessagesPolicy = "messages";
    public const string AdminPolicy = "admin";

    /// <summary>Hosts that may frame ValueBot's pages: the Teams, Outlook and Microsoft 365 clients.</summary>
    public const string FrameAncestors =
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us "
        + "https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://*.skype.com";

    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddOptions<EdgeRateLimitOptions>().Bind(builder.Configuration.GetSection(EdgeRateLimitOptions.SectionName));
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(MessagesPolicy, http => Window(
                "m:" + http.Connection.RemoteIpAddress,
                http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<EdgeRateLimitOptions>>().Value.MessagesPerAddressPerMinute));
            o.AddPolicy(AdminPolicy, http => Window(
                "a:" + (http.User.Identity?.IsAuthenticated == true ? Admin.AdminCaller.From(http.User).Name : http.Connection.RemoteIpAddress?.ToString()),
                http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<EdgeRateLimitOptions>>().Value.AdminPerCallerPerMinute));
        });
        return builder;
    }

    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        var development = BotOptions.IsDevelopment(app.Environment.EnvironmentName);
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.TryAdd("Referrer-Policy", "no-referrer");
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = FrameAncestors;
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
        if (!development)
        {
            app.UseHsts();
        }

        // Named here, after the headers, so that a refusal by authentication carries them too (left to the host they
        // would run first); rate limits after authorization, so that the admin limit is per signed-in caller.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> Window(string key, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
