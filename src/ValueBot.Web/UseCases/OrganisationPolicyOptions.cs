using System.Globalization;
using Microsoft.Extensions.Options;
using ValueBot.Domain.Policies;

namespace ValueBot.Web.UseCases;

/// <summary>
/// The organisation's stop-loss thresholds and rule parameters, from the <c>Policy</c> section: one key per
/// <see cref="PolicyParameter"/> (<c>Policy:MaxReworkRate</c>, <c>Policy:CostDriftFactor</c>, …); a key left out keeps
/// DOMAIN.md's default. Unknown keys, unreadable numbers and values out of range stop the start-up, each named.
/// </summary>
public sealed class OrganisationPolicyOptions
{
    public const string SectionName = "Policy";

    public EvaluationPolicy Policy { get; set; } = EvaluationPolicy.OrganisationDefault;

    /// <summary>What is wrong with the section, one line per key; empty when it is valid.</summary>
    public IReadOnlyList<string> Problems { get; set; } = [];

    public static OrganisationPolicyOptions From(IConfiguration section)
    {
        var problems = new List<string>();
        var overrides = EvaluationPolicyOverrides.None;
        foreach (var child in section.GetChildren())
        {
            var key = $"{SectionName}:{child.Key}";
            if (PolicyParameters.Find(child.Key) is not { } parameter)
            {
                problems.Add($"{key} is not a policy setting; the settings are {string.Join(", ", PolicyParameters.All.Select(p => Pascal(p.Name)))}.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(child.Value))
            {
                continue;
            }

            if (!decimal.TryParse(child.Value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                problems.Add($"{key}: '{child.Value}' is not a number (use a dot for decimals, e.g. 0.15).");
                continue;
            }

            if (parameter.Check(value) is { } problem)
            {
                problems.Add($"{key}: {problem}");
                continue;
            }

            overrides = parameter.With(overrides, value);
        }

        var policy = EvaluationPolicy.OrganisationDefault.Merge(overrides);
        if (problems.Count == 0)
        {
            problems.AddRange(policy.Validate().Select(e => $"{SectionName}:{Pascal(e.Field)}: {e.Message}"));
        }

        return new OrganisationPolicyOptions { Policy = policy, Problems = problems };
    }

    public static string Pascal(string camel) => char.ToUpperInvariant(camel[0]) + camel[1..];
}

internal sealed class OrganisationPolicyValidator : IValidateOptions<OrganisationPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, OrganisationPolicyOptions options) =>
        options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
}
