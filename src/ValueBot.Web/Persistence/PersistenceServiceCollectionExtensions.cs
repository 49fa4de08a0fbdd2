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
            // A list in a query (ids.Contains(x.Id)) goes as one array parameter (json_each on SQLite, = ANY on PostgreSQL),
            // not EF 10's default of one parameter per element: the check-in cycle asks for every due use case at once,
            // and 50,000 of them passed SQLite's limit of 32,766 variables ("too many SQL variables").
            if (database.Engine == DatabaseEngine.Postgres)
            {
                options.UseNpgsql(database.ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            }
            else
            {
                options.UseSqlite(database.ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                    .AddInterceptors(new SqliteBusyTimeout());
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
