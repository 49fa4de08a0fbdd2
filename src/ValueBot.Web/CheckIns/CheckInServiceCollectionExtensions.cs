using Microsoft.Extensions.Options;
using ValueBot.Teams.Hosting;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.CheckIns;

public static class CheckInServiceCollectionExtensions
{
    /// <summary>
    /// The weekly check-in: its calendar (<c>Schedule</c> options, validated at start-up), the cycle the scheduler runs,
    /// the store, the delivery of check-in cards and what follows their send outcomes, and the card's routes and commands.
    /// </summary>
    public static IServiceCollection AddCheckIns(this IServiceCollection services)
    {
        services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScheduleOptions>, ScheduleOptionsValidator>();
        services.AddSingleton<CheckInCalendar>();
        services.AddScoped<CheckInCycle>();
        services.AddScoped<CheckInDeliveries>();
        services.AddSingleton<IDeliveryObserver, CheckInDeliveryObserver>();
        services.AddScoped<CheckInStore>();
        services.AddScoped<CheckInHistory>();
        services.AddSingleton<IOutboxGate, CheckInOutboxGate>();
        services.AddScoped<ClientTimeZones>();
        services.AddBotRoutes<CheckInRoutes>();
        return services;
    }
}
