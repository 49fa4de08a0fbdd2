using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ValueBot.Testing;

/// <summary>Starts small Kestrel apps on 127.0.0.1 with an OS-chosen port, for the loopback fakes and test hosts.</summary>
public static class LoopbackApp
{
    /// <summary>A builder bound to http://127.0.0.1:0 with logging off.</summary>
    public static WebApplicationBuilder CreateBuilder(string environmentName = "Development")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environmentName });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts the app and returns its base address without a trailing slash (http://127.0.0.1:PORT).</summary>
    public static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync().ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return addresses.First().TrimEnd('/');
    }
}
