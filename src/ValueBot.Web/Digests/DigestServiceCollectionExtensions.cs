using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Digests;

public static class DigestServiceCollectionExtensions
{
    /// <summary>The digest store and publisher (scoped: the scheduler calls <see cref="DigestPublisher"/>), and the digest routes.</summary>
    public static IServiceCollection AddDigests(this IServiceCollection services)
    {
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName);
        services.AddScoped<DigestStore>();
        services.AddScoped<DigestPublisher>();
        services.AddBotRoutes<DigestRoutes>();
        services.AddScoped<AdoptionConfirmations>();
        services.AddBotRoutes<AdoptionReviewRoutes>();
        return services;
    }
}
