using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Previews;

public static class PreviewServiceCollectionExtensions
{
    /// <summary>The previews of the digests and reviews, and the admin commands that show them.</summary>
    public static IServiceCollection AddPreviews(this IServiceCollection services)
    {
        services.AddScoped<RhythmPreviews>();
        services.AddBotRoutes<PreviewRoutes>();
        return services;
    }
}
