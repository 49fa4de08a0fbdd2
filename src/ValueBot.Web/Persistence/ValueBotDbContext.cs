using Microsoft.EntityFrameworkCore;

namespace ValueBot.Web.Persistence;

/// <summary>The application's database. The schema comes from <see cref="SchemaMigrator"/>, not from EF migrations.</summary>
public sealed class ValueBotDbContext(DbContextOptions<ValueBotDbContext> options) : DbContext(options)
{
    public DbSet<Installations.Installation> Installations => Set<Installations.Installation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ValueBotDbContext).Assembly);
}
