namespace ValueBot.Web.People;

/// <summary>A user as the directory knows them.</summary>
/// <param name="ObjectId">Entra object id.</param>
/// <param name="UserPrincipalName">The sign-in name.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="Mail">Primary SMTP address, if the user has a mailbox.</param>
/// <param name="AccountEnabled">False for a disabled account (a leaver); null if Graph did not say.</param>
/// <param name="Manager">The direct manager, or null when none is set.</param>
public sealed record DirectoryPerson(
    string ObjectId,
    string? UserPrincipalName,
    string? DisplayName,
    string? Mail,
    bool? AccountEnabled,
    DirectoryManager? Manager);
