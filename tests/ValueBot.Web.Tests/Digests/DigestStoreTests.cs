using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Digests.DigestWorld;

namespace ValueBot.Web.Tests.Digests;

/// <summary>
/// The digests' bulk read of the window (<see cref="DigestStore.LoadAsync"/>, its own reader over the figures) against
/// the one-use-case history the registry, the receipts and the tab read (<see cref="CheckInHistory"/>, through EF).
/// </summary>
public sealed class DigestStoreTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheWindowHoldsEveryWeekAsTheUseCaseHistoryReadsIt(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await host.WithScopeAsync(async sp =>
        {
            var checkIns = sp.GetRequiredService<CheckInStore>();
            // Every field given, decimals with digits after the point, texts, evidence, outliers and a model answer.
            await checkIns.RecordAnswerAsync(Claims, Week.Previous(), EveryField, Bob.AadObjectId, CancellationToken.None);
            // Outside the window: never read by the digests.
            await checkIns.RecordAnswerAsync(Claims, Week.AddWeeks(-DigestStore.HistoryWeeks), Answer(60), Bob.AadObjectId, CancellationToken.None);
            return 0;
        });

        var (window, histories) = await host.WithScopeAsync(async sp =>
        {
            var snapshot = await sp.GetRequiredService<DigestStore>().LoadAsync(Week, CancellationToken.None);
            var history = sp.GetRequiredService<CheckInHistory>();
            var byUseCase = new Dictionary<Guid, IReadOnlyList<WeekRecord>>();
            foreach (var entry in snapshot.UseCases)
            {
                byUseCase[entry.UseCase.Id] = await history.WeekHistoryAsync(entry.UseCase.Id, CancellationToken.None);
            }

            return (snapshot.UseCases, byUseCase);
        });

        var first = Week.AddWeeks(-(DigestStore.HistoryWeeks - 1));
        Assert.Equal(3, window.Count);
        foreach (var entry in window)
        {
            var expected = histories[entry.UseCase.Id].Where(w => w.Week >= first && w.Week <= Week).Select(Describe).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, entry.History.Select(Describe).ToList());
        }

        var claims = window.Single(e => e.UseCase.Id == Claims).History;
        var full = Assert.Single(claims, w => w.Week == Week.Previous());
        Assert.Equal(AnswerJson.Serialize(EveryField), AnswerJson.Serialize(full.Answer!));
        Assert.DoesNotContain(claims, w => w.Week < first);
    }

    private static readonly Answer EveryField = EveryFieldAnswer.With(64);

    private static string Describe(WeekRecord week) =>
        $"{week.Week}|{week.Status}|{week.HadOwner}|{(week.Answer is { } answer ? AnswerJson.Serialize(answer) : "-")}|{week.Measured}|{week.Review}";
}
