using Microsoft.Extensions.Options;
using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Demo;

public static class DemoSeedingExtensions
{
    /// <summary>
    /// Seeds the demo portfolio at start-up when <c>Demo:Seed=true</c> and <c>Bot:LocalMode=true</c>. Register it
    /// after persistence: hosted services start in order, so the schema is migrated first.
    /// </summary>
    public static IHostApplicationBuilder AddDemoPortfolio(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        builder.Services.AddHostedService<DemoSeedStartup>();
        return builder;
    }
}

/// <summary>Seeds the demo portfolio once the schema is migrated; refuses outside local mode and in Production.</summary>
internal sealed partial class DemoSeedStartup(
    IServiceScopeFactory scopes,
    IOptions<DemoOptions> demo,
    IOptions<BotOptions> bot,
    IHostEnvironment environment,
    ILogger<DemoSeedStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.Seed)
        {
            return;
        }

        if (!bot.Value.LocalMode || environment.IsProduction())
        {
            LogRefused(logger);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var created = await ActivatorUtilities.CreateInstance<DemoPortfolio>(scope.ServiceProvider)
            .SeedAsync(demo.Value, cancellationToken);
        LogSeeded(logger, created, DemoPortfolio.UseCaseCount);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo:Seed is set but ignored: the demo portfolio is seeded only in local mode (Bot:LocalMode=true) and never in Production.")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo portfolio: {Created} of {Total} use cases created (the others were already there).")]
    private static partial void LogSeeded(ILogger logger, int created, int total);
}
