using ValueBot.Teams.Connector;
using Microsoft.Extensions.Options;

namespace ValueBot.Web.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The durable outbox (<see cref="Outbox"/>, scoped) and its sender, with <c>Delivery:*</c> options validated at start-up.</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<IUnsentMessages, OutboxUnsentMessages>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton(sp => new OutboxSender(
            sp.GetRequiredService<IConnectorClient>(),
            sp.GetRequiredService<OutboxStore>(),
            sp.GetRequiredService<IOptions<DeliveryOptions>>(),
            sp.GetRequiredService<IOptions<ValueBot.Web.Persistence.DeploymentOptions>>().Value.InstanceCount,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetServices<IDeliveryObserver>(),
            sp.GetRequiredService<ILogger<OutboxSender>>(),
            sp.GetRequiredService<ValueBot.Web.Observability.ValueBotMetrics>(),
            sp.GetServices<IOutboxGate>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"]);
        return builder;
    }
}
