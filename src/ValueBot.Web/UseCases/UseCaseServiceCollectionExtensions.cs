using Microsoft.Extensions.Options;

namespace ValueBot.Web.UseCases;

public static class UseCaseRegistryExtensions
{
    /// <summary>The organisation's policy (validated at start-up) and the registry of use cases.</summary>
    public static IHostApplicationBuilder AddUseCaseRegistry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrganisationPolicyOptions>()
            .Configure(o =>
            {
                var read = OrganisationPolicyOptions.From(builder.Configuration.GetSection(OrganisationPolicyOptions.SectionName));
                o.Policy = read.Policy;
                o.Problems = read.Problems;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrganisationPolicyOptions>, OrganisationPolicyValidator>();
        builder.Services.AddScoped<UseCaseRegistry>();
        return builder;
    }
}
