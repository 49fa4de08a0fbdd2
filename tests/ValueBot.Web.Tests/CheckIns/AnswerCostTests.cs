using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ValueBot.Domain.CheckIns;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Admin;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// What one answer costs the database: the statements an owner's Submit runs, from the token to the receipt. The answer
/// path reads the week's row, its history and the use case once each (benchmarks/README.md, "Answer submission"); a read
/// that creeps back in shows here as one statement more, long before a benchmark notices.
/// </summary>
public sealed class AnswerCostTests
{
    // Measured on 2026-12-04, both engines: the installation's last-seen touch, the use case and its people, the week's
    // row, its history (answers with their figures, measured usage, adoption verdicts), then the write; a changed answer
    // also writes its audit entry. Raise only with a reason written beside it.
    private const int StatementsOfAFirstAnswer = 8;
    private const int StatementsOfAChangedAnswer = 9;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AFirstAnswerAndAChangedOneEachRunAFixedHandfulOfStatements(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var statements = new StatementLog();
        // No sender: its polling would be counted with the answer's statements.
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Delivery:Enabled"] = "false" },
            configure: builder => builder.Services.ConfigureDbContext<ValueBotDbContext>(o => o.AddInterceptors(statements)));
        var created = await AdminClient.SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", AdminClient.Serialize(AdminClient.ValidUseCase()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var useCaseId = Guid.Parse((await AdminClient.JsonAsync(created))["id"]!.GetValue<string>());
        var week = await host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<UseCaseRegistry>().CurrentWeek.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(Message(Ada, "checkin"))).StatusCode);

        var first = await AnswerAsync(host, statements, useCaseId, week, tasks: "200", revision: 0);
        var changed = await AnswerAsync(host, statements, useCaseId, week, tasks: "210", revision: 1);

        Assert.True(first.Count <= StatementsOfAFirstAnswer, $"a first answer ran {first.Count} statements:\n{string.Join("\n", first)}");
        Assert.True(changed.Count <= StatementsOfAChangedAnswer, $"a changed answer ran {changed.Count} statements:\n{string.Join("\n", changed)}");
        // Both were stored: the count is of a path that did its work, not of a refusal.
        var stored = await host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().StoredAnswerAsync(useCaseId, Domain.Periods.IsoWeek.Parse(week), CancellationToken.None));
        Assert.Equal((210, 2), (stored!.Answer.Tasks, stored.Revision)); // the card of revision 1 made revision 2
    }

    private static async Task<IReadOnlyList<string>> AnswerAsync(ValueBotTestHost host, StatementLog statements, Guid useCaseId, string week, string tasks, int revision)
    {
        var inputs = CheckInInputs.Valid();
        inputs[AnswerFields.Tasks] = tasks;
        inputs[CheckInCard.RevisionKey] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        statements.Clear();
        var (type, _) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(useCaseId, week, inputs))));
        Assert.Equal("application/vnd.microsoft.card.adaptive", type); // the receipt, not a refusal
        return statements.Taken();
    }

    /// <summary>Every statement the host's contexts run (first line of its text), in order.</summary>
    private sealed class StatementLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _seen = new();

        public void Clear() => _seen.Clear();

        public IReadOnlyList<string> Taken() => [.. _seen];

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            Seen(command, result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Seen(command, result));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            Seen(command, result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Seen(command, result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            Seen(command, result);

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Seen(command, result));

        private T Seen<T>(DbCommand command, T result)
        {
            var text = command.CommandText.Trim();
            // SQLite's busy_timeout pragma is connection setup, not the answer's work.
            if (!text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase))
            {
                _seen.Enqueue(text.Split('\n')[0].Trim());
            }

            return result;
        }
    }
}
