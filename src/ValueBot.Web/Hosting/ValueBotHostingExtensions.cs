using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using ValueBot.Teams.Hosting;
using ValueBot.Web.AdminCards;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Demo;
using ValueBot.Web.Digests;
using ValueBot.Web.Evidence;
using ValueBot.Web.Installations;
using ValueBot.Web.Observability;
using ValueBot.Web.Operator;
using ValueBot.Web.People;
using ValueBot.Web.Admin;
using ValueBot.Web.Persistence;
using ValueBot.Web.Previews;
using ValueBot.Web.Scheduling;
using ValueBot.Web.Tab;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Hosting;

/// <summary>Everything Program.cs wires, one concern per call.</summary>
public static class ValueBotHostingExtensions
{
    public static WebApplicationBuilder AddValueBot(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemResponses();
        builder.AddWebSecurity();
        builder.AddObservability();
        builder.AddGracefulShutdown();
        builder.AddPersistence();
        builder.Services.AddTeamsBot(builder.Configuration);
        builder.Services.AddPeople(builder.Configuration);
        builder.Services.AddInstallations();
        builder.Services.AddCheckIns();
        builder.Services.AddAdminCards();
        builder.Services.AddDigests();
        builder.Services.AddPreviews();
        builder.Services.AddOperatorView();
        builder.Services.AddEvidence();
        builder.AddDelivery();
        builder.AddWeeklySchedule();
        builder.AddUseCaseRegistry();
        builder.AddAdminApi();
        builder.AddDemoPortfolio();
        builder.AddTeamsTab();
        return builder;
    }

    public static WebApplication MapValueBot(this WebApplication app)
    {
        app.UseProblemResponses();
        app.UseWebSecurity();
        app.MapBotMessages("/api/messages").RequireRateLimiting(WebSecurity.MessagesPolicy);
        app.MapAdminApi();
        app.MapAdminJobsDashboard();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapLegalPages();
        app.MapTeamsTab();
        app.MapGet("/", () => TypedResults.Text("ValueBot is running. Teams talks to POST /api/messages.\n"));
        return app;
    }
}
