using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;

namespace ValueBot.Domain.Tests.Evidence;

public sealed class CopilotUsageTests
{
    private static readonly IsoWeek Week = IsoWeek.Create(2026, 11); // 2026-03-09 to 2026-03-15

    private static readonly GroupMember[] Members =
    [
        new("id-ada", "ada@contoso.example"), new("id-bob", "bob@contoso.example"), new("id-cy", "cy@contoso.example"), new("id-guest", null),
    ];

    [Fact]
    public void CountsMembersWhoseLastActivityFallsInTheIsoWeekMondayToSunday()
    {
        CopilotUsageRow[] rows =
        [
            new("ADA@contoso.example", new DateOnly(2026, 3, 9)),   // Monday: in
            new("bob@contoso.example", new DateOnly(2026, 3, 15)),  // Sunday: in
            new("cy@contoso.example", new DateOnly(2026, 3, 8)),    // the Sunday before: out
            new("dan@contoso.example", new DateOnly(2026, 3, 10)),  // not a member
            new("eve@contoso.example", null),
        ];

        var active = CopilotUsage.ActiveMembers(Week, Members, rows, namesConcealed: false);

        Assert.Equal(["id-ada", "id-bob"], active!.Order());
        Assert.Equal(3, CopilotUsage.TenantActiveUsers(Week, rows));
        Assert.False(CopilotUsage.LooksConcealed(rows));
    }

    [Fact]
    public void ConcealedNamesMatchNobodyAndAreRecognisedByTheirHashes()
    {
        CopilotUsageRow[] rows = [new("DC8C64D6EC3A3AA17481D7E5EB5B68A6", new DateOnly(2026, 3, 10)), new("0f1e2d3c4b5a69788796a5b4c3d2e1f0", null)];

        Assert.True(CopilotUsage.LooksConcealed(rows));
        Assert.Null(CopilotUsage.ActiveMembers(Week, Members, rows, namesConcealed: true));
        Assert.Equal(1, CopilotUsage.TenantActiveUsers(Week, rows));
        Assert.False(CopilotUsage.LooksConcealed([]));
        Assert.False(CopilotUsage.LooksConcealed([.. rows, new CopilotUsageRow("ada@contoso.example", null)]));
    }

    [Fact]
    public void ReadingsOfOneWeekAreUnitedSoALaterActivityDoesNotLoseAnEarlierOne()
    {
        IReadOnlySet<string> tuesday = new HashSet<string> { "id-ada", "id-bob" };
        IReadOnlySet<string> monday = new HashSet<string> { "id-bob", "id-cy" };

        Assert.Equal(["id-ada", "id-bob", "id-cy"], CopilotUsage.Union(tuesday, monday)!.Order());
        Assert.Equal(tuesday, CopilotUsage.Union(tuesday, null));
        Assert.Null(CopilotUsage.Union(null, null));
    }
}
