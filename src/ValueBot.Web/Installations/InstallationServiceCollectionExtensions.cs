using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Installations;

public static class InstallationServiceCollectionExtensions
{
    /// <summary>Where ValueBot is installed, the 1:1 chats personal answers go to, and the installation and help routes.</summary>
    public static IServiceCollection AddInstallations(this IServiceCollection services)
    {
        services.AddScoped<InstallationStore>();
        services.AddScoped<PersonalChats>();
        services.AddScoped(typeof(PersonalAnswer<>));
        services.AddBotRoutes<InstallationRoutes>();
        return services;
    }
}
