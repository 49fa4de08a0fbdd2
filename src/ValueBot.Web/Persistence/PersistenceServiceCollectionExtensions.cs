using Microsoft.EntityFrameworkCore;

namespace ValueBot.Web.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>SQLite in the data folder by default, PostgreSQL when the connection string says so; schema migrated at start-up.</summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var database = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(database);
        builder.Services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DeploymentOptions>, DeploymentOptionsValidator>();
        builder.Services.AddDbContext<ValueBotDbContext>(options =>
        {
            if (database.Engine == DatabaseEngine.Postgres)
            {
                options.UseNpgsql(database.ConnectionString);
            }
            else
            {
                options.UseSqlite(database.ConnectionString).AddInterceptors(new SqliteBusyTimeout());
            }

            // Column names follow the migrations' snake_case; HasColumnName only where a name differs from its property's.
            options.UseSnakeCaseNamingConvention();
        });
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<SchemaMigrationStartup>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}

/// <summary>Migrates the schema before anything else starts serving (hosted services start in order).</summary>
internal sealed class SchemaMigrationStartup(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken: cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
