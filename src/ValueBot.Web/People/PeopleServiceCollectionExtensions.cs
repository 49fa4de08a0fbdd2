using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace ValueBot.Web.People;

/// <summary>Registers the Graph-backed people directory and Teams app installer.</summary>
public static class PeopleServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Graph</c> into <see cref="GraphOptions"/> (validated at start-up) and registers <see cref="IPeopleDirectory"/>,
    /// <see cref="ITeamsAppInstaller"/>, the <see cref="GraphCredential"/> and the named HttpClient they share
    /// (retry of 429/503/504 honouring Retry-After, then the bearer token). A <see cref="GraphCredential"/> registered
    /// before this call is kept (tests use it). With <c>Graph:Enabled</c> false both services answer "not configured".
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
            .AddHttpMessageHandler(sp => new RetryHandler(new RetryHandlerOption
            {
                MaxRetry = sp.GetRequiredService<IOptions<GraphOptions>>().Value.MaxRetries,
            }))
            .AddHttpMessageHandler<GraphAuthenticationHandler>();

        services.TryAddSingleton<GraphClients>();
        services.TryAddSingleton<IPeopleDirectory, GraphPeopleDirectory>();
        services.TryAddSingleton<IGroupMembership, GraphGroupMembership>();
        services.TryAddSingleton<ITeamsAppInstaller, GraphTeamsAppInstaller>();
        return services;
    }
}
