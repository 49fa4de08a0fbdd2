using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Operator;

public static class OperatorServiceCollectionExtensions
{
    /// <summary>The operator's delivery view: the service the tab, the admin API and the <c>delivery</c> command share.</summary>
    public static IServiceCollection AddOperatorView(this IServiceCollection services)
    {
        services.AddScoped<DeliveryBoard>();
        services.AddBotRoutes<DeliveryRoutes>();
        return services;
    }
}
