using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using ValueBot.Web.Admin;

namespace ValueBot.Web.Scheduling;

/// <summary>The Hangfire Dashboard at <c>/admin/jobs</c>, for admins only (401 without a credential, 403 without the role).</summary>
public static class AdminJobsDashboard
{
    public const string Path = "/admin/jobs";

    /// <summary>The admin authorization policy's name; used when the app registers one, the admin key/token check otherwise.</summary>
    public const string AdminPolicy = AdminAuthentication.Policy;

    public static WebApplication MapAdminJobsDashboard(this WebApplication app)
    {
        if (app.Services.GetService<JobStorage>() is { } storage)
        {
            app.UseHangfireDashboard(Path, new DashboardOptions
            {
                Authorization = [],
                AsyncAuthorization = [new AdminDashboardAuthorization()],
                DashboardTitle = "ValueBot jobs",
                DisplayStorageConnectionString = false,
            }, storage);
        }

        return app;
    }

    /// <summary>
    /// Asks ASP.NET Core's authorization for the <see cref="AdminPolicy"/> when it exists (whatever scheme it names),
    /// and the admin API's own check otherwise. Hangfire answers 401 to an anonymous user and 403 to an authenticated one.
    /// </summary>
    private sealed class AdminDashboardAuthorization : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var services = http.RequestServices;
            if (services.GetService<IAuthorizationPolicyProvider>() is { } policies && await policies.GetPolicyAsync(AdminPolicy) is { } policy)
            {
                var evaluator = services.GetRequiredService<IPolicyEvaluator>();
                var authenticated = await evaluator.AuthenticateAsync(policy, http);
                return authenticated.Succeeded
                    && (await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, null, policy)).Succeeded;
            }

            return false; // no admin policy registered: nobody sees the dashboard
        }
    }
}
