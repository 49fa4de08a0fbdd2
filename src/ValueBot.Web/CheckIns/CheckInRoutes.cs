using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Routing;
using Microsoft.EntityFrameworkCore;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;
using ValueBot.Web.Digests;
using ValueBot.Web.Installations;
using ValueBot.Web.Observability;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.CheckIns;

/// <summary>
/// The weekly check-in in the owner's 1:1 chat: the card's actions (answer, nothing changed, skip, hand to the
/// delegate) and the <c>checkin</c>, <c>skip</c> and <c>status</c> commands.
/// </summary>
public sealed class CheckInRoutes(
    CheckInStore store, UseCaseRegistry registry, CheckInCalendar calendar, ValueBotDbContext db, InstallationStore installations,
    Outbox outbox, DigestStore digests, CheckInHistory history, ValueBotMetrics metrics, TimeProvider time) : IBotRoutes
{
    public static void Map(BotRouter router)
    {
        router.OnEveryActivity<ClientTimeZones>(z => z.RememberAsync);
        // Typed in a channel or group chat, these answer in the caller's 1:1 chat (DOMAIN.md "Who sees what").
        router.OnCommand("checkin", "Get the check-in for this week now", PersonalAnswers.Command<CheckInRoutes>(r => r.CheckInNowAsync));
        router.OnCommand("skip", "Skip the check-in for this week (e.g. holiday)", PersonalAnswers.Command<CheckInRoutes>(r => r.SkipThisWeekAsync));
        router.OnCommand("status", "Your use cases with their latest figures and any breach", PersonalAnswers.Command<CheckInRoutes>(r => r.StatusAsync));
        router.OnVerb(CheckInCard.AnswerVerb, PersonalAnswers.Verb<CheckInRoutes>(r => r.AnswerAsync));
        router.OnVerb(CheckInCard.NothingChangedVerb, PersonalAnswers.Verb<CheckInRoutes>(r => r.NothingChangedAsync));
        router.OnVerb(CheckInCard.SkipVerb, PersonalAnswers.Verb<CheckInRoutes>(r => r.SkipAsync));
        router.OnVerb(CheckInCard.HandToDelegateVerb, PersonalAnswers.Verb<CheckInRoutes>(r => r.HandToDelegateAsync));
        router.OnVerb(CheckInCard.EditVerb, PersonalAnswers.Verb<CheckInRoutes>(r => r.EditAsync));
    }

    public async Task CheckInNowAsync(TurnContext turn, CancellationToken ct)
    {
        var useCases = await CallersUseCasesAsync(turn, ct);
        if (useCases.Count == 0)
        {
            await turn.SendTextAsync(NoUseCase, ct);
            return;
        }

        var zone = await CallersZoneAsync(turn, ct);
        var week = WeekIn(zone);
        foreach (var useCase in useCases)
        {
            // An answered week comes back with its own answer (every field), not last week's.
            var row = await store.FindAsync(useCase.Id, week, ct);
            var card = CheckInStore.StoredAnswerOf(row) is { } stored
                ? CheckInCard.Build(useCase, week, null, answered: await DescribeAsync(turn, useCase, stored, zone, ct),
                    banner: store.IsOpen(week, row) ? null : "This week has closed: the stored answer is shown as it stays; it can no longer be changed.")
                : CheckInCard.Build(useCase, week, await store.PreviousAnswerAsync(useCase.Id, week, ct));
            if ((await turn.SendCardAsync(card, ct)).IsSuccess)
            {
                metrics.CheckInSent("command");
            }
        }
    }

    public async Task SkipThisWeekAsync(TurnContext turn, CancellationToken ct)
    {
        var useCases = await CallersUseCasesAsync(turn, ct);
        if (useCases.Count == 0)
        {
            await turn.SendTextAsync(NoUseCase, ct);
            return;
        }

        var week = await CallersWeekAsync(turn, ct);
        var lines = new List<string>();
        foreach (var useCase in useCases)
        {
            var outcome = await store.SkipAsync(useCase.Id, week, Caller(turn)!, ct);
            lines.Add(outcome switch
            {
                SkipOutcome.AlreadyAnswered => $"- {CardText.Escape(useCase.Name)}: already answered for {week}, so the answer stays.",
                SkipOutcome.Closed => $"- {CardText.Escape(useCase.Name)}: week {week} has closed, so it can no longer be skipped (it can still be answered late: type \"checkin\").",
                _ => $"- {CardText.Escape(useCase.Name)}: skipped for {week}.",
            });
        }

        await turn.SendTextAsync(string.Join("\n", lines), ct);
    }

    public async Task StatusAsync(TurnContext turn, CancellationToken ct)
    {
        var useCases = await CallersUseCasesAsync(turn, ct);
        if (useCases.Count == 0)
        {
            await turn.SendTextAsync(NoUseCase, ct);
            return;
        }

        var card = new AdaptiveCard { FallbackText = "Your use cases and their latest figures" };
        card.Add(new TextBlock("Your use cases") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        foreach (var useCase in useCases)
        {
            card.Add(new TextBlock(CardText.Escape(useCase.Name)) { Weight = TextWeight.Bolder, Separator = true });
            var evaluation = await registry.EvaluateAsync(useCase.Id, null, ct);
            if (evaluation?.LatestMetrics is not { } metrics)
            {
                card.Add(new TextBlock("No answered week yet: no data.") { IsSubtle = true });
                continue;
            }

            card.Add(new TextBlock($"Latest answered week: {metrics.Week}") { IsSubtle = true, Spacing = ElementSpacing.None });
            card.Add(CheckInCard.Figures(metrics));
            CheckInCard.AddWarnings(card, metrics, evaluation.Warnings, registry.PolicyFor(useCase).StopLoss);
        }

        await turn.SendCardAsync(card, ct);
    }

    public async Task<CardActionResult> AnswerAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        // The week's row is read once: for the stored answer here, and as the row the write starts from.
        var row = await store.FindAsync(t.UseCase.Id, t.Week, ct);
        var current = CheckInStore.StoredAnswerOf(row);
        // A re-answer starts from the stored answer: a field the card did not send (one it does not show, or an input a
        // client leaves out when empty) keeps its stored value. A field sent empty is cleared, or refused if required.
        var raw = current is null
            ? new Dictionary<string, string?>(StringComparer.Ordinal)
            : AnswerFields.ToStoredFormValues(current.Answer, t.UseCase.ValueModel).ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
        foreach (var (key, _) in action.Data)
        {
            raw[key] = action.GetString(key);
        }

        var validation = AnswerValidator.Validate(t.UseCase, raw);
        if (current is not null && t.Revision != current.Revision && validation.Answer is null)
        {
            // Built from an older answer, and not even a valid one: the current card, not the errors of an old one.
            return await OutOfDateAsync(turn, t, ct);
        }

        if (validation.Answer is not { } answer)
        {
            var previous = await store.PreviousAnswerAsync(t.UseCase.Id, t.Week, ct);
            var answered = current is null ? null : await DescribeAsync(turn, t.UseCase, current, await CallersZoneAsync(turn, ct), ct);
            return CardActionResult.Card(CheckInCard.Build(t.UseCase, t.Week, previous, validation.Errors, raw, answered: answered));
        }

        // Implausible numbers are not refused, but not stored either until the owner confirms them on the card. The
        // weeks are read once: for this check and, with the answer put in, for the receipt's evaluation.
        var weeks = await history.ReadAsync(t.UseCase.Id, ct);
        var outliers = Outliers(t, answer, weeks);
        var confirmed = string.Equals(raw.GetValueOrDefault(AnswerFields.ConfirmOutlier), "true", StringComparison.OrdinalIgnoreCase);
        if (outliers.Count > 0 && !confirmed)
        {
            if (current is not null && t.Revision != current.Revision)
            {
                return await OutOfDateAsync(turn, t, ct);
            }

            var previous = await store.PreviousAnswerAsync(t.UseCase.Id, t.Week, ct);
            var answered = current is null ? null : await DescribeAsync(turn, t.UseCase, current, await CallersZoneAsync(turn, ct), ct);
            raw.Remove(AnswerFields.ConfirmOutlier);
            return CardActionResult.Card(CheckInCard.Build(t.UseCase, t.Week, previous, submitted: raw, answered: answered,
                view: CheckInView.Update, outliers: outliers));
        }

        return await StoreAsync(turn, t, new CheckInRead(row), weeks, answer with { Outliers = outliers }, ct);
    }

    /// <summary>What is implausible about <paramref name="answer"/> against the use case and its earlier answered weeks.</summary>
    private IReadOnlyList<Domain.Evidence.Outlier> Outliers(CardTarget t, Answer answer, WeekHistory weeks)
    {
        var recent = weeks.Weeks
            .Where(r => r.Week < t.Week && r.HasData)
            .Select(r => r.Answer!)
            .ToList();
        return Domain.Evidence.AnswerPlausibility.Find(t.UseCase, answer, recent, registry.PolicyFor(t.UseCase));
    }

    /// <summary>"Edit this week" on the receipt: the week's card in its update view, prefilled with the stored answer.</summary>
    public async Task<CardActionResult> EditAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        var row = await store.FindAsync(t.UseCase.Id, t.Week, ct);
        if (CheckInStore.StoredAnswerOf(row) is not { } stored)
        {
            return CardActionResult.Card(CheckInCard.Build(t.UseCase, t.Week, await store.PreviousAnswerAsync(t.UseCase.Id, t.Week, ct), view: CheckInView.Update));
        }

        var answered = await DescribeAsync(turn, t.UseCase, stored, await CallersZoneAsync(turn, ct), ct);
        return CardActionResult.Card(CheckInCard.Build(t.UseCase, t.Week, null, answered: answered, view: CheckInView.Update,
            banner: store.IsOpen(t.Week, row) ? null : "This week has closed: the stored answer is shown as it stays; it can no longer be changed."));
    }

    public async Task<CardActionResult> NothingChangedAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        var row = await store.FindAsync(t.UseCase.Id, t.Week, ct);
        if (CheckInStore.StoredAnswerOf(row) is { } current)
        {
            // Repeating last week over this week's own answer would lose it.
            return t.Revision == current.Revision
                ? CardActionResult.Message($"{t.UseCase.Name} is already answered for {t.Week}; the stored answer stays.")
                : await OutOfDateAsync(turn, t, ct);
        }

        // The weeks give both the answer to repeat (the latest answered week before this one, as PreviousAnswerAsync
        // reads it) and the plausibility check, and with it put in, the receipt's evaluation.
        var weeks = await history.ReadAsync(t.UseCase.Id, ct);
        var previous = weeks.Weeks.LastOrDefault(w => w.Week < t.Week && w.HasData).Answer;
        if (previous is null)
        {
            return CardActionResult.Message($"There is no earlier answer for {t.UseCase.Name} to repeat: please fill in this week's figures.");
        }

        // Numbers confirmed as unusual last week are stored as they were confirmed; anything newly implausible (a
        // baseline changed since, say) needs the card's confirmation like any other answer.
        var outliers = Outliers(t, previous, weeks);
        var confirmedBefore = previous.Outliers.Select(o => o.Code).ToHashSet(StringComparer.Ordinal);
        if (outliers.Any(o => !confirmedBefore.Contains(o.Code)))
        {
            return CardActionResult.Card(CheckInCard.Build(t.UseCase, t.Week, previous, view: CheckInView.Update, outliers: outliers));
        }

        return await StoreAsync(turn, t, new CheckInRead(row), weeks, previous with { Outliers = outliers }, ct, nothingChanged: true);
    }

    public async Task<CardActionResult> SkipAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        var outcome = await store.SkipAsync(t.UseCase.Id, t.Week, Caller(turn)!, ct);
        return outcome switch
        {
            SkipOutcome.AlreadyAnswered => CardActionResult.Message($"{t.UseCase.Name} is already answered for {t.Week}; the answer stays."),
            SkipOutcome.Closed => CardActionResult.Message($"Week {t.Week} of {t.UseCase.Name} has closed, so it can no longer be skipped. Nothing was stored. It can still be answered late."),
            _ => CardActionResult.Card(CheckInCard.Notice($"Skipped: {CardText.Escape(t.UseCase.Name)}, week {t.Week}",
                "This week counts as not applicable: it is neither due nor missed. See you next week.")),
        };
    }

    public async Task<CardActionResult> HandToDelegateAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        var caller = Caller(turn)!;
        if (t.UseCase.Owner?.AadObjectId != caller)
        {
            return CardActionResult.Message("Only the owner can hand a week to the delegate.");
        }

        if (t.UseCase.Delegate is not { } delegatePerson)
        {
            return CardActionResult.Message($"{t.UseCase.Name} has no delegate. An admin can name one.");
        }

        await store.RecordHandOverAsync(t.UseCase.Id, t.Week, caller, delegatePerson.AadObjectId, ct);
        var title = $"Handed to {CardText.Escape(delegatePerson.DisplayName)}: {CardText.Escape(t.UseCase.Name)}, week {t.Week}";
        var chat = await installations.FindPersonalAsync(delegatePerson.AadObjectId, ct);
        if (chat is null)
        {
            return CardActionResult.Card(CheckInCard.Notice(title,
                $"{CardText.Escape(delegatePerson.DisplayName)} has not installed ValueBot yet, so I cannot message them: please let them know. They can answer by typing \"checkin\" in their chat with ValueBot. You stay accountable for the use case."));
        }

        var ownerName = t.UseCase.Owner is { } o ? CardText.Escape(o.DisplayName) : "The owner";
        var banner = $"{ownerName} handed this week's check-in to you.";
        var card = await store.StoredAnswerAsync(t.UseCase.Id, t.Week, ct) is { } stored
            ? CheckInCard.Build(t.UseCase, t.Week, null, banner: banner,
                answered: await DescribeAsync(turn, t.UseCase, stored, await ZoneOfAsync(delegatePerson.AadObjectId, ct), ct, viewer: delegatePerson.AadObjectId))
            : CheckInCard.Build(t.UseCase, t.Week, await store.PreviousAnswerAsync(t.UseCase.Id, t.Week, ct), banner: banner);
        await outbox.EnqueueAsync(Outbox.Message(
            $"handover:{t.UseCase.Id:D}:{t.Week}", "checkin-handover", chat.ServiceUrl, chat.ConversationId, chat.TenantId, Activity.CreateCardMessage(card)), ct);
        return CardActionResult.Card(CheckInCard.Notice(title,
            $"I have sent {CardText.Escape(delegatePerson.DisplayName)} this week's card. You stay accountable for the use case."));
    }

    /// <summary>
    /// Stores the answer and returns its receipt. <paramref name="read"/> is the week's row and <paramref name="weeks"/>
    /// the use case's weeks, both as read for this answer: the receipt is built from the row as written and the weeks
    /// with the stored answer put in, which is what reading them again would give, without the reads.
    /// </summary>
    private async Task<CardActionResult> StoreAsync(
        TurnContext turn, CardTarget t, CheckInRead read, WeekHistory weeks, Answer answer, CancellationToken ct, bool nothingChanged = false)
    {
        var (useCase, week) = (t.UseCase, t.Week);
        var (outcome, row) = await store.WriteAnswerAsync(useCase.Id, week, answer, Caller(turn)!, t.Revision, read, ct);
        metrics.AnswerStored(outcome);
        if (outcome == AnswerOutcome.Closed)
        {
            return CardActionResult.Message($"Week {week} of {useCase.Name} is closed and already answered; the stored answer stays.");
        }

        if (outcome == AnswerOutcome.Stale)
        {
            return await OutOfDateAsync(turn, t, ct);
        }

        var stored = CheckInStore.StoredAnswerOf(row);
        if (stored is not null && outcome is AnswerOutcome.Stored or AnswerOutcome.Replaced)
        {
            weeks = weeks.WithAnswer(week, stored.Answer, stored.AnsweredAt);
        }

        var evaluation = registry.Evaluate(useCase, weeks.Weeks, week);
        var policy = registry.PolicyFor(useCase);
        var latest = evaluation.Latest is { } l && l.Week == week ? l : null;
        var headline = outcome switch
        {
            AnswerOutcome.Replaced => "Answer updated",
            _ when nothingChanged => "Same as last week: stored",
            _ => "Thanks, check-in stored",
        };
        return CardActionResult.Card(CheckInCard.Receipt(new CheckInReceipt(
            useCase,
            headline,
            stored?.Answer ?? answer,
            latest?.Metrics ?? WeeklyMetrics.Compute(useCase, week, answer, policy.Evidence),
            latest is null ? null : evaluation.Previous?.Metrics,
            evaluation.Warnings,
            policy.StopLoss,
            evaluation.Recommendation,
            await WinPostingAsync(week, stored?.Answer ?? answer, ct),
            stored?.Revision ?? 0,
            CanEdit: store.IsOpen(week, row))));
    }

    /// <summary>
    /// When a win flagged for leadership is posted: with the leadership digest of its week (the organisation's digest
    /// day and time), if that has not gone out yet and a channel is chosen.
    /// </summary>
    private async Task<string?> WinPostingAsync(IsoWeek week, Answer answer, CancellationToken ct)
    {
        if (!answer.ShareWinWithLeadership || answer.Win is not { Length: > 0 })
        {
            return null;
        }

        var zone = calendar.OrganisationZone;
        var at = calendar.Cadence.DigestAt(week, zone);
        if (time.GetUtcNow() >= at)
        {
            return $"Your win is flagged for leadership, but the leadership digest of {week} has gone out already: your manager or a leader can still share it from their digest card.";
        }

        var when = TimeZoneInfo.ConvertTime(at, zone).ToString("dddd d MMM 'at' HH:mm", System.Globalization.CultureInfo.InvariantCulture) + $" ({zone.Id})";
        if (await digests.ChannelAsync(ct) is null)
        {
            return $"Your win is flagged for leadership, for the leadership digest on {when}; no leadership channel is chosen yet, so an admin needs to type \"post digests here\" in one before then.";
        }

        return $"Your win is flagged for leadership: it goes out with the leadership digest on {when}.";
    }

    /// <summary>
    /// The card was built from an older answer than the stored one: nothing is stored, and the caller gets the week's
    /// current card, prefilled with the stored answer, to change from there.
    /// </summary>
    private async Task<CardActionResult> OutOfDateAsync(TurnContext turn, CardTarget t, CancellationToken ct)
    {
        if (await store.StoredAnswerAsync(t.UseCase.Id, t.Week, ct) is not { } current)
        {
            return CardActionResult.Message($"This card for {t.UseCase.Name}, week {t.Week}, is out of date. Nothing was stored: type \"checkin\" for the current one.");
        }

        var answered = await DescribeAsync(turn, t.UseCase, current, await CallersZoneAsync(turn, ct), ct);
        return CardActionResult.Card(CheckInCard.Build(t.UseCase, t.Week, null,
            banner: "That card was out of date: this week's answer changed after it was made, so nothing was stored from it. Here is the answer as stored now; change what moved and send again.",
            answered: answered));
    }

    /// <summary>"Answered on … by …" for a stored answer, in the reader's time zone; the answerer named unless it is the reader.</summary>
    private async Task<AnsweredWeek> DescribeAsync(
        TurnContext turn, UseCase useCase, StoredAnswer stored, TimeZoneInfo zone, CancellationToken ct, string? viewer = null)
    {
        viewer ??= Caller(turn);
        var by = stored.AnsweredBy;
        var who = by is null ? null
            : by == viewer ? "you"
            : by == useCase.Delegate?.AadObjectId ? $"{CardText.Escape(useCase.Delegate.DisplayName)} (delegate)"
            : by == useCase.Owner?.AadObjectId ? $"{CardText.Escape(useCase.Owner.DisplayName)} (owner)"
            : await db.Set<Person>().AsNoTracking()
                .Where(p => p.AadObjectId == by).Select(p => p.DisplayName).FirstOrDefaultAsync(ct) is { } name
                ? CardText.Escape(name)
                : "someone no longer on this use case";
        var when = stored.AnsweredAt is { } at
            ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), zone)
                .ToString("ddd d MMM yyyy 'at' HH:mm", System.Globalization.CultureInfo.InvariantCulture) + $" ({zone.Id})"
            : null;
        var summary = (when, who) switch
        {
            (null, null) => "Already answered.",
            (null, _) => $"Answered by {who}.",
            (_, null) => $"Answered on {when}.",
            _ => $"Answered on {when} by {who}.",
        };
        return new AnsweredWeek(stored, summary);
    }

    /// <summary>What a check-in action is about: the use case, the week, and the revision of its answer the card was built from.</summary>
    private readonly record struct CardTarget(UseCase UseCase, IsoWeek Week, int Revision);

    /// <summary>
    /// The use case and week named in the card data, if the caller is its owner or delegate and the week can take an
    /// answer (begun, and not before the use case started).
    /// </summary>
    private async Task<(CardTarget? Target, CardActionResult? Refusal)> ResolveAsync(
        TurnContext turn, CardActionData action, CancellationToken ct)
    {
        // Cards from before revisions existed carry none; they were all built from no answer of their week.
        var revision = action.Data.ContainsKey(CheckInCard.RevisionKey) ? action.GetInt32(CheckInCard.RevisionKey) : 0;
        if (!Guid.TryParse(action.GetString(CheckInCard.UseCaseIdKey), out var id)
            || !IsoWeek.TryParse(action.GetString(CheckInCard.WeekKey), out var week)
            || revision is not >= 0)
        {
            return (null, CardActionResult.Error(400, "BadRequest", "This card does not name a use case and week."));
        }

        var stored = await registry.GetAsync(id, ct);
        if (stored is null || stored.UseCase.Retired)
        {
            return (null, CardActionResult.Message("This use case is no longer measured, so there is nothing to answer."));
        }

        if (!IsOwnerOrDelegate(stored.UseCase, Caller(turn)))
        {
            var owner = stored.UseCase.Owner?.DisplayName ?? "its owner";
            return (null, CardActionResult.Message($"Only {owner} or their delegate can answer the check-in for {stored.UseCase.Name}. Nothing was stored."));
        }

        var firstWeek = AnswerWindow.FirstWeek(stored.UseCase.LaunchDate, DateOnly.FromDateTime(stored.CreatedAt));
        var now = time.GetUtcNow();
        switch (AnswerWindow.Standing(week, firstWeek, AnswerWindow.CurrentWeek(now)))
        {
            case WeekStanding.Future:
                return (null, CardActionResult.Message($"Week {week} has not begun yet, so there is nothing to report for {stored.UseCase.Name}. Nothing was stored."));
            case WeekStanding.BeforeStart:
                return (null, CardActionResult.Message($"{stored.UseCase.Name} was not measured yet in week {week}: its first week is {firstWeek}. Nothing was stored."));
        }

        return (new CardTarget(stored.UseCase, week, revision.Value), null);
    }

    private async Task<IReadOnlyList<UseCase>> CallersUseCasesAsync(TurnContext turn, CancellationToken ct)
    {
        var caller = Caller(turn);
        if (caller is null)
        {
            return [];
        }

        var all = await registry.AllAsync(ct);
        return all.Select(s => s.UseCase).Where(u => !u.Retired && u.Stage != Stage.Stopped && IsOwnerOrDelegate(u, caller)).OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>This week by the caller's own calendar (their time zone, else the organisation's).</summary>
    private async Task<IsoWeek> CallersWeekAsync(TurnContext turn, CancellationToken ct) =>
        WeekIn(await CallersZoneAsync(turn, ct));

    private IsoWeek WeekIn(TimeZoneInfo zone) =>
        Domain.Scheduling.Cadence.WeekAt(time.GetUtcNow(), zone);

    /// <summary>The caller's time zone as stored, else as their client reports it, else the organisation's.</summary>
    private async Task<TimeZoneInfo> CallersZoneAsync(TurnContext turn, CancellationToken ct)
    {
        var caller = Caller(turn);
        var zoneId = caller is null ? null : await StoredZoneAsync(caller, ct);
        return calendar.ZoneOf(zoneId ?? turn.Activity.GetClientTimeZone());
    }

    private async Task<TimeZoneInfo> ZoneOfAsync(string aadObjectId, CancellationToken ct) =>
        calendar.ZoneOf(await StoredZoneAsync(aadObjectId, ct));

    private Task<string?> StoredZoneAsync(string aadObjectId, CancellationToken ct) =>
        db.Set<Person>().AsNoTracking()
            .Where(p => p.AadObjectId == aadObjectId).Select(p => p.TimeZone).FirstOrDefaultAsync(ct);

    private static bool IsOwnerOrDelegate(UseCase useCase, string? caller) =>
        caller is not null && (useCase.Owner?.AadObjectId == caller || useCase.Delegate?.AadObjectId == caller);

    private static string? Caller(TurnContext turn) => turn.Activity.From?.AadObjectId is { Length: > 0 } id ? id : null;

    private const string NoUseCase = "You own no use case (and are nobody's delegate), so there is no check-in for you. An admin registers use cases and their owners.";
}
