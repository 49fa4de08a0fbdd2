namespace ValueBot.Domain.UseCases;

/// <summary>A person in the organisation's directory (Entra ID object id and display name).</summary>
public sealed record PersonRef(string AadObjectId, string DisplayName)
{
    /// <summary>Set by the host when the directory reports the person gone; makes accountability unclear.</summary>
    public bool HasLeftOrganisation { get; init; }
}
