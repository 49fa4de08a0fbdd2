namespace ValueBot.Web.People;

/// <summary>A person's manager. Usually a user; an organisational contact has no UPN and cannot receive Teams messages.</summary>
/// <param name="ObjectId">Entra object id.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="UserPrincipalName">The sign-in name; null for a contact.</param>
/// <param name="Mail">Email address.</param>
/// <param name="IsUser">True for a <c>#microsoft.graph.user</c>, false for an <c>#microsoft.graph.orgContact</c>.</param>
public sealed record DirectoryManager(string ObjectId, string? DisplayName, string? UserPrincipalName, string? Mail, bool IsUser);
