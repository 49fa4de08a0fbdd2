using ValueBot.Teams.Hosting;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.CheckIns;

public static class CheckInServiceCollectionExtensions
{
    /// <summary>The check-in store and the check-in card's routes and commands.</summary>
    public static IServiceCollection AddCheckIns(this IServiceCollection services)
    {
        services.AddScoped<CheckInStore>();
        services.AddSingleton<IOutboxGate, CheckInOutboxGate>();
        services.AddScoped<ClientTimeZones>();
        services.AddBotRoutes<CheckInRoutes>();
        return services;
    }
}
