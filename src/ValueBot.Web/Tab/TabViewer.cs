using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.UseCases;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tab;

/// <summary>
/// Who is looking at the tab, and so what they may see (DOMAIN.md "Who sees what", the portfolio row): admins and
/// leaders — the sponsors of use cases — the whole portfolio; everyone else the use cases they own or answer for as
/// delegate, and those owned by their reports (the owner's manager as the registry knows it, as the manager digest
/// reads it).
/// </summary>
public sealed record TabViewer(string Id, string Name, bool IsAdmin, bool IsLeader)
{
    public bool SeesWholePortfolio => IsAdmin || IsLeader;

    /// <summary>Whether this viewer may see <paramref name="useCase"/>; <paramref name="managerOf"/> gives an owner's manager.</summary>
    public bool Sees(UseCase useCase, Func<string, string?> managerOf)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        ArgumentNullException.ThrowIfNull(managerOf);
        if (SeesWholePortfolio || useCase.Owner?.AadObjectId == Id || useCase.Delegate?.AadObjectId == Id)
        {
            return true;
        }

        return useCase.Owner is { } owner && managerOf(owner.AadObjectId) == Id;
    }

    public string Role => IsAdmin ? "admin" : IsLeader ? "leader" : "owner or manager";
}

/// <summary>Resolves the signed-in person into a <see cref="TabViewer"/> (admin as the bot decides it; leader = a sponsor).</summary>
public sealed class TabViewers(TeamsAdmins admins, ValueBotDbContext db)
{
    public async Task<TabViewer?> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var id = principal.FindFirst(TabAuthentication.ObjectIdClaim)?.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var name = principal.FindFirst(TabAuthentication.NameClaim)?.Value ?? id;
        var isAdmin = await admins.IsAdminAsync(id, cancellationToken);
        var isLeader = !isAdmin && await db.Set<UseCaseRecord>().AsNoTracking()
            .AnyAsync(u => u.SponsorAadObjectId == id && u.RetiredAt == null, cancellationToken);
        return new TabViewer(id, name, isAdmin, isLeader);
    }

    /// <summary>The registry's manager of one person (for a single use case's page).</summary>
    public Task<string?> ManagerOfAsync(string aadObjectId, CancellationToken cancellationToken) =>
        db.Set<Person>().AsNoTracking().Where(p => p.AadObjectId == aadObjectId).Select(p => p.ManagerAadObjectId).FirstOrDefaultAsync(cancellationToken);
}
