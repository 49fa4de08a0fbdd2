using Microsoft.Extensions.Options;

namespace ValueBot.Web.Persistence;

/// <summary>How ValueBot is deployed. Several instances must share one PostgreSQL database.</summary>
public sealed class DeploymentOptions
{
    public const string SectionName = "Deployment";

    /// <summary>How many instances run against the database (a load-balanced App Service plan's instance count).</summary>
    public int InstanceCount { get; set; } = 1;
}

internal sealed class DeploymentOptionsValidator(DatabaseOptions database) : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        if (options.InstanceCount < 1)
        {
            return ValidateOptionsResult.Fail("Deployment:InstanceCount must be at least 1.");
        }

        return options.InstanceCount > 1 && database.Engine == DatabaseEngine.Sqlite
            ? ValidateOptionsResult.Fail(
                $"Deployment:InstanceCount is {options.InstanceCount}, but ConnectionStrings:ValueBot points at SQLite, which one instance alone may use. Configure PostgreSQL for more than one instance.")
            : ValidateOptionsResult.Success;
    }
}
