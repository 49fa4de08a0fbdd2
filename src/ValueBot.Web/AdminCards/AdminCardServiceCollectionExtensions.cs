using ValueBot.Teams.Hosting;

namespace ValueBot.Web.AdminCards;

public static class AdminCardServiceCollectionExtensions
{
    /// <summary>The Teams admins and the "new use case" / "edit use case" cards' commands and actions.</summary>
    public static IServiceCollection AddAdminCards(this IServiceCollection services)
    {
        services.AddSingleton<TeamsAdmins>();
        services.AddBotRoutes<AdminCardRoutes>();
        return services;
    }
}
