using Microsoft.Extensions.Options;

namespace ValueBot.Web.Hosting;

/// <summary>
/// How long a stopping instance may take (section <c>Hosting</c>). On SIGTERM the outbox sender stops claiming,
/// lets the sends already on the wire finish and be recorded (each is bounded by the connector's 30 s HttpClient
/// timeout) and hands back the rest as Pending; the default leaves room for that.
/// </summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Hosting";

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(40);
}

public static class ShutdownExtensions
{
    /// <summary>Binds <c>Hosting:ShutdownTimeout</c> (validated: 1 s to 10 min) into <see cref="HostOptions.ShutdownTimeout"/>.</summary>
    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName)
            .Validate(o => o.ShutdownTimeout >= TimeSpan.FromSeconds(1) && o.ShutdownTimeout <= TimeSpan.FromMinutes(10),
                "Hosting:ShutdownTimeout must be between 00:00:01 and 00:10:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.ShutdownTimeout);
        return builder;
    }
}
