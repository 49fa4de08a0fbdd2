using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Auth;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Routing;

namespace ValueBot.Teams.Hosting;

/// <summary>Registers the Teams protocol layer: options, inbound authentication, Connector client and router.</summary>
public static class TeamsBotServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient that reads OpenID metadata and signing keys.</summary>
    public const string MetadataHttpClientName = "ValueBot.Teams.Metadata";

    /// <summary>
    /// Binds section <c>Bot</c> into <see cref="BotOptions"/> (validated at start-up) and registers the
    /// inbound authentication (<see cref="BotAuthenticationExtensions.AddBotAuthentication"/>), <see cref="ServiceUrlPolicy"/>, <see cref="BotConnectorCredential"/>,
    /// the typed <see cref="IConnectorClient"/> and the <see cref="BotRouter"/> built from every <see cref="IBotRoutes"/>.
    /// A <see cref="BotConnectorCredential"/> registered before this call is kept (tests use it).
    /// </summary>
    public static IServiceCollection AddTeamsBot(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotOptions>, BotOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BotOptions>>().Value;
            return new ServiceUrlPolicy(options.TrustedServiceUrls, allowLoopback: options.LocalMode);
        });
        services.TryAddSingleton(sp => CreateCredential(sp.GetRequiredService<IOptions<BotOptions>>().Value));

        services.AddHttpClient(MetadataHttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddBotAuthentication();
        services.TryAddSingleton<ActivityRateLimiter>();

        services.TryAddSingleton<ConnectorToken>();
        services.TryAddTransient<ConnectorAuthenticationHandler>();
        services.AddHttpClient<IConnectorClient, ConnectorClient>((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<BotOptions>>().Value.ConnectorTimeout)
            .AddHttpMessageHandler<ConnectorAuthenticationHandler>();

        services.TryAddSingleton(sp =>
        {
            var router = new BotRouter(sp.GetRequiredService<ILogger<BotRouter>>());
            foreach (var table in sp.GetServices<BotRouteTable>())
            {
                table.Map(router);
            }

            return router;
        });
        return services;
    }

    /// <summary>Adds a feature's routes: <see cref="IBotRoutes.Map"/> joins the router's table, and <typeparamref name="T"/> is its scoped handler.</summary>
    public static IServiceCollection AddBotRoutes<T>(this IServiceCollection services)
        where T : class, IBotRoutes
    {
        services.AddScoped<T>();
        services.AddSingleton(new BotRouteTable(T.Map));
        return services;
    }

    /// <summary>One feature's <see cref="IBotRoutes.Map"/>, kept until the router is built.</summary>
    private sealed record BotRouteTable(Action<BotRouter> Map);

    /// <summary>The outbound credential chosen by <c>Bot:Credential:Type</c>.</summary>
    public static BotConnectorCredential CreateCredential(BotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = options.Credential;
        TokenCredential? credential = c.Type switch
        {
            BotCredentialType.None when options.LocalMode => null,
            BotCredentialType.None => throw new InvalidOperationException("Bot:Credential:Type None is only allowed in local mode."),
            BotCredentialType.ClientSecret => new ClientSecretCredential(options.TenantId, options.AppId, c.ClientSecret),
            BotCredentialType.Certificate => new ClientCertificateCredential(options.TenantId, options.AppId, LoadCertificate(c)),
            BotCredentialType.ManagedIdentity => new ManagedIdentityCredential(
                ManagedIdentityId.FromUserAssignedClientId(string.IsNullOrWhiteSpace(c.ManagedIdentityClientId) ? options.AppId! : c.ManagedIdentityClientId)),
            _ => throw new InvalidOperationException($"Unknown Bot:Credential:Type {c.Type}."),
        };
        return new BotConnectorCredential(credential);
    }

    private static X509Certificate2 LoadCertificate(BotCredentialOptions c)
    {
        var path = c.CertificatePath ?? throw new InvalidOperationException("Bot:Credential:CertificatePath is required.");
        return Path.GetExtension(path).Equals(".pem", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, c.CertificatePassword);
    }
}
