using Microsoft.Extensions.Options;
using ValueBot.Teams.Hosting;
using ValueBot.Web.AdminCards;
using ValueBot.Web.People;

namespace ValueBot.Web.Admin;

/// <summary>
/// Says at start-up what the admin settings will not do, so that nobody finds out from a refused request:
/// local mode without <c>Admin:LocalKey</c> (the admin API then takes only Entra tokens), and admin groups without Graph
/// (their members cannot be resolved and are not admins).
/// </summary>
internal sealed partial class AdminStartupChecks(
    IOptions<AdminOptions> admin, IOptions<BotOptions> bot, IConfiguration configuration, IServiceProvider services, ILogger<AdminStartupChecks> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (bot.Value.LocalMode && string.IsNullOrEmpty(admin.Value.LocalKey))
        {
            Log.NoLocalKey(logger, AdminOptions.LocalKeyHeader);
        }

        var groups = TeamsAdmins.ReadIds(configuration, TeamsAdmins.GroupsKey);
        var graphEnabled = services.GetService<IOptions<GraphOptions>>()?.Value.Enabled == true;
        if (groups.Count > 0 && !graphEnabled)
        {
            Log.GroupsWithoutGraph(logger, groups.Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
            Message = "Local mode without Admin:LocalKey: the admin API accepts only Entra ID tokens; set Admin:LocalKey to use the {Header} header")]
        public static partial void NoLocalKey(ILogger logger, string header);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
            Message = "Admin:TeamsAdminGroups lists {Count} group(s) but Graph is not configured (Graph:Enabled is false): members of these groups cannot be resolved and are not treated as admins; list them in Admin:TeamsAdmins or configure Graph")]
        public static partial void GroupsWithoutGraph(ILogger logger, int count);
    }
}
