using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ValueBot.Web.People;

/// <summary>Registers the Graph-backed people directory and Teams app installer.</summary>
public static class PeopleServiceCollectionExtensions
{
    /// <summary>
    /// Registers the people feature: the stored people ValueBot knows (<see cref="KnownPeople"/>, on the application's
    /// database) and the Graph-backed directory of <see cref="AddPeopleDirectory"/>.
    /// </summary>
    public static IServiceCollection AddPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<KnownPeople>();
        return services.AddPeopleDirectory(configuration);
    }

    /// <summary>
    /// Binds <c>Graph</c> into <see cref="GraphOptions"/> (validated at start-up) and registers <see cref="GraphPeopleDirectory"/>,
    /// <see cref="GraphGroupMembership"/>, <see cref="GraphTeamsAppInstaller"/>, the <see cref="GraphCredential"/> and the named HttpClient they share
    /// (Microsoft.Extensions.Http.Resilience: <see cref="GraphOptions.MaxRetries"/> retries of 429/503/504 and of requests
    /// that found no server, honouring a Retry-After up to <see cref="GraphOptions.MaxRetryAfter"/>, all within
    /// <see cref="GraphOptions.Timeout"/>; then the bearer token, so every attempt carries a current one). A <see cref="GraphCredential"/> registered
    /// before this call is kept (tests use it). With <c>Graph:Enabled</c> false the three services answer "not configured".
    /// </summary>
    public static IServiceCollection AddPeopleDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Bound from the configuration passed in (not BindConfiguration) as AddTeamsBot does, so callers and tests choose the source.
        services.AddOptions<GraphOptions>().Bind(configuration.GetSection(GraphOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.TryAddSingleton(sp => GraphCredential.Create(sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddTransient<GraphAuthenticationHandler>();
        services.AddHttpClient(GraphClients.HttpClientName, (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<GraphOptions>>().Value.Timeout)
            .AddResilienceHandler("graph-retry", (pipeline, context) =>
            {
                var graph = context.ServiceProvider.GetRequiredService<IOptions<GraphOptions>>().Value;
                if (graph.MaxRetries > 0)
                {
                    pipeline.AddRetry(GraphRetry(graph));
                }
            })
            .Services.AddHttpClient(GraphClients.HttpClientName)
            .AddHttpMessageHandler<GraphAuthenticationHandler>();

        services.TryAddSingleton<GraphClients>();
        services.TryAddSingleton<GraphPeopleDirectory>();
        services.TryAddSingleton<GraphGroupMembership>();
        services.TryAddSingleton<GraphTeamsAppInstaller>();
        return services;
    }

    /// <summary>
    /// Retries what Graph asks to be retried (429 throttled, 503 unavailable, 504) and requests that reached no server,
    /// with exponential backoff and jitter, or after Graph's Retry-After when it sends one. A Retry-After longer than
    /// <see cref="GraphOptions.MaxRetryAfter"/> is not waited out here: the 429 goes to the caller, who reports it.
    /// </summary>
    private static HttpRetryStrategyOptions GraphRetry(GraphOptions graph) => new()
    {
        MaxRetryAttempts = graph.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(500),
        ShouldRetryAfterHeader = true,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.GatewayTimeout
                && !(response.Headers.RetryAfter?.Delta > graph.MaxRetryAfter),
            _ => false,
        }),
    };
}
