using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using ValueBot.Web.People;

namespace ValueBot.Web.Demo;

/// <summary>
/// A believable demo portfolio for local mode: twelve use cases across the five value models, with weeks of
/// answers ending last ISO week — healthy ones, a 55 % adoption stall (redesign), rework above 15 %, a healthy
/// kill (stop), missed check-ins, cost drift and two young pilots. Deterministic (fixed ids, fixed random seed)
/// and idempotent: a use case whose id already exists is left alone, answers included.
/// </summary>
public sealed class DemoPortfolio(UseCaseRegistry registry, KnownPeople knownPeople, ValueBotDbContext db, TimeProvider time)
{
    public const string ChangedBy = "demo-seed";
    public const string Currency = "EUR";
    public const int UseCaseCount = 12;

    private const int RandomSeed = 20240617;

    // Fixed ids: how a second run recognises the demo use cases.
    public static readonly Guid MeetingNotes = Id(1);
    public static readonly Guid SalesEmails = Id(2);
    public static readonly Guid ServiceChatbot = Id(3);
    public static readonly Guid ProductRecommendations = Id(4);
    public static readonly Guid ContractReview = Id(5);
    public static readonly Guid UnderwritingSummaries = Id(6);
    public static readonly Guid IncidentTriage = Id(7);
    public static readonly Guid DependencyUpgrades = Id(8);
    public static readonly Guid InvoiceProcessing = Id(9);
    public static readonly Guid ClaimsHandling = Id(10);
    public static readonly Guid Onboarding = Id(11);
    public static readonly Guid KnowledgeSearch = Id(12);

    public static IReadOnlyList<Guid> Ids { get; } =
    [
        MeetingNotes, SalesEmails, ServiceChatbot, ProductRecommendations, ContractReview, UnderwritingSummaries,
        IncidentTriage, DependencyUpgrades, InvoiceProcessing, ClaimsHandling, Onboarding, KnowledgeSearch,
    ];

    /// <summary>Creates the demo use cases that do not exist yet, with their weeks; returns how many it created.</summary>
    public async Task<int> SeedAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        var people = People(options);
        foreach (var person in people)
        {
            if (await db.Set<Person>().AsNoTracking().AnyAsync(p => p.AadObjectId == person.AadObjectId, cancellationToken))
            {
                continue;
            }

            await knownPeople.RememberAsync(person, cancellationToken);
        }

        var lastWeek = registry.CurrentWeek.Previous();
        var created = 0;
        var index = 0;
        foreach (var spec in Specs(options))
        {
            index++;
            if (await registry.GetAsync(spec.UseCase.Id, cancellationToken) is not null)
            {
                continue;
            }

            var firstWeek = lastWeek.AddWeeks(-(spec.Weeks - 1));
            var useCase = spec.UseCase with { LaunchDate = firstWeek.Start };
            var errors = useCase.Validate();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"Demo use case '{useCase.Name}' is invalid: {string.Join("; ", errors.Select(e => e.Message))}");
            }

            if ((await registry.CreateAsync(useCase, ChangedBy, cancellationToken)).Outcome != RegistryOutcome.Done)
            {
                continue;
            }

            await AddWeeksAsync(useCase, spec, firstWeek, new Random(RandomSeed + index), cancellationToken);
            created++;
        }

        return created;
    }

    private async Task AddWeeksAsync(UseCase useCase, Spec spec, IsoWeek firstWeek, Random random, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var existing = (await db.Set<CheckIn>().AsNoTracking().Where(c => c.UseCaseId == useCase.Id).ToListAsync(cancellationToken))
            .Select(c => c.Week).ToHashSet();
        for (var i = 0; i < spec.Weeks; i++)
        {
            var week = firstWeek.AddWeeks(i);
            // Draw every week's numbers even for a missed week, so each week's values do not depend on the others.
            var answer = spec.Answer(useCase, i, spec.Weeks, random);
            if (existing.Contains(week))
            {
                continue;
            }

            var sentAt = week.Day(DayOfWeek.Monday).ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
            var answeredAt = week.Day(DayOfWeek.Tuesday).ToDateTime(new TimeOnly(10, 30), DateTimeKind.Utc);
            var missed = spec.MissedWeeks.Contains(i);
            db.Add(new CheckIn
            {
                UseCaseId = useCase.Id,
                Week = week,
                Status = missed ? CheckInStatus.Missed : CheckInStatus.Answered,
                AnswerJson = missed ? null : AnswerJson.Serialize(answer),
                AnsweredBy = missed ? null : useCase.Owner?.AadObjectId,
                AnsweredAt = missed ? null : Min(answeredAt, now),
                AnswerRevision = missed ? 0 : 1,
                SentAt = Min(sentAt, now),
                CreatedAt = Min(sentAt, now),
                UpdatedAt = Min(missed ? sentAt.AddDays(4) : answeredAt, now),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static DateTime Min(DateTime left, DateTime right) => left <= right ? left : right;

    private static Guid Id(int n) => Guid.Parse($"dead0000-0000-4000-8000-{n:D12}");

    private static Money Eur(decimal amount) => new(amount, Currency);

    private static IReadOnlyList<Person> People(DemoOptions options) =>
    [
        new() { AadObjectId = options.OwnerAadObjectId, DisplayName = options.OwnerDisplayName },
        Report("00000000-0000-0000-0000-0000000000021", "Megan Bowen", "meganb@example.com", options),
        Report("00000000-0000-0000-0000-0000000000022", "Adele Vance", "adelev@example.com", options),
        Report("00000000-0000-0000-0000-0000000000023", "Isaiah Langer", "isaiah@example.com", options),
        Report("00000000-0000-0000-0000-0000000000024", "Patti Fernandez", "pattif@example.com", options),
        Report("00000000-0000-0000-0000-0000000000025", "Lynne Robbins", "lynner@example.com", options),
    ];

    // The other playground users report to the demo owner, so the owner also sees a manager's view.
    private static Person Report(string id, string name, string mail, DemoOptions options) => new()
    {
        AadObjectId = id,
        DisplayName = name,
        UserPrincipalName = mail,
        Mail = mail,
        ManagerAadObjectId = options.OwnerAadObjectId,
    };

    private static IReadOnlyList<Spec> Specs(DemoOptions options)
    {
        var alex = new PersonRef(options.OwnerAadObjectId, options.OwnerDisplayName);
        var megan = new PersonRef("00000000-0000-0000-0000-0000000000021", "Megan Bowen");
        var adele = new PersonRef("00000000-0000-0000-0000-0000000000022", "Adele Vance");
        var isaiah = new PersonRef("00000000-0000-0000-0000-0000000000023", "Isaiah Langer");
        var patti = new PersonRef("00000000-0000-0000-0000-0000000000024", "Patti Fernandez");
        var lynne = new PersonRef("00000000-0000-0000-0000-0000000000025", "Lynne Robbins");

        return
        [
            new Spec(
                Case(MeetingNotes, "Meeting notes copilot", "Drafts minutes and action items from Teams meetings.",
                    ValueModel.WorkforceEmpowerment, Stage.Scaling, alex, megan, "Operations", "Writing and circulating meeting minutes", PnlLine.Cost,
                    "Minutes out within the hour; 40 % less time per meeting write-up", 400,
                    new Baseline(25m, 900m, Eur(55m), 0.20m, 15m), 0.50m, 2400m),
                Weeks: 12,
                Adoption: new(0.62m, 0.81m), Tasks: new(500m, 1100m), MinutesSaved: new(10m, 12m),
                Rework: new(0.09m, 0.06m), MinutesPerCorrection: 6m, Exceptions: new(8m, 5m), RunCost: new(480m, 520m),
                Win: "Board minutes went out the same afternoon for the first time.", Backlog: BacklogShrinking.Yes),
            new Spec(
                Case(SalesEmails, "Sales email drafting", "Drafts follow-up emails for account managers from CRM notes.",
                    ValueModel.WorkforceEmpowerment, Stage.Production, alex, megan, "Sales", "Post-meeting follow-up emails", PnlLine.Revenue,
                    "60 % of account managers use it weekly; 40 % less time per email", 200,
                    new Baseline(12m, 1500m, Eur(48m), 0.10m, 10m), 0.40m, 1200m),
                Weeks: 10,
                Adoption: new(0.50m, 0.62m, [0.61m, 0.57m, 0.55m, 0.55m]), Tasks: new(600m, 900m), MinutesSaved: new(4m, 3.5m),
                Rework: new(0.08m, 0.10m), MinutesPerCorrection: 4m, Exceptions: new(3m, 3m), RunCost: new(270m, 280m),
                Blocker: "Adoption is stuck at 55 %: the field team cannot use it from the mobile CRM.", Call: OwnersCall.AtRisk),
            new Spec(
                Case(ServiceChatbot, "Customer service chatbot", "Answers order and delivery questions on the web shop; agents supervise hand-overs.",
                    ValueModel.AiNativeDistribution, Stage.Production, megan, alex, "Customer Service", "First-line customer enquiries", PnlLine.Cost,
                    "Half of enquiries resolved without an agent; CSAT no lower than before", 60,
                    new Baseline(8m, 4000m, Eur(38m), 0.08m, 12m), 0.60m, 6000m),
                Weeks: 11,
                Adoption: new(0.70m, 0.88m), Tasks: new(2500m, 3600m), MinutesSaved: new(4.2m, 4.8m),
                Rework: new(0.07m, 0.05m), MinutesPerCorrection: 5m, Exceptions: new(60m, 45m), RunCost: new(1300m, 1400m),
                Win: "Peak-season enquiries handled with no extra temporary staff.", Backlog: BacklogShrinking.Yes),
            new Spec(
                Case(ProductRecommendations, "Personalised product recommendations", "Generates curated product bundles for the newsletter and shop pages.",
                    ValueModel.AiNativeDistribution, Stage.Production, isaiah, alex, "E-commerce", "Merchandisers curating bundles", PnlLine.Revenue,
                    "Curation time down 70 %; newsletter click-through up", 25,
                    new Baseline(20m, 300m, Eur(52m), 0.05m, 15m), 0.70m, 3000m),
                Weeks: 10,
                Adoption: new(0.64m, 0.72m), Tasks: new(220m, 280m), MinutesSaved: new(13m, 14m),
                Rework: new(0.05m, 0.05m), MinutesPerCorrection: 8m, Exceptions: new(4m, 3m), RunCost: new(650m, 700m),
                Missed: [3, 6, 8, 9]),
            new Spec(
                Case(ContractReview, "Contract review assistant", "Flags risky clauses in supplier contracts before legal review.",
                    ValueModel.ExpertCapability, Stage.Production, patti, alex, "Legal", "First-pass contract review", PnlLine.Risk,
                    "Review time halved with no more than 15 % of flags corrected", 30,
                    new Baseline(90m, 120m, Eur(95m), 0.10m, 45m), 0.50m, 4000m),
                Weeks: 10,
                Adoption: new(0.70m, 0.80m), Tasks: new(80m, 110m), MinutesSaved: new(40m, 35m),
                Rework: new(0.10m, 0.13m, [0.19m, 0.20m, 0.22m]), MinutesPerCorrection: 30m, Exceptions: new(4m, 6m), RunCost: new(900m, 950m),
                ModelChangedWeek: 6, Blocker: "Since the model upgrade it misreads liability caps in German contracts.", Call: OwnersCall.AtRisk),
            new Spec(
                Case(UnderwritingSummaries, "Underwriting risk summaries", "Summarises broker submissions into a one-page risk view.",
                    ValueModel.ExpertCapability, Stage.Pilot, lynne, alex, "Commercial Insurance", "Reading broker submissions", PnlLine.Cost,
                    "40 % less reading time per submission", 40,
                    new Baseline(45m, 200m, Eur(70m), 0.08m, 30m), 0.40m, 2500m),
                Weeks: 6,
                Adoption: new(0.62m, 0.75m), Tasks: new(60m, 140m), MinutesSaved: new(15m, 17m),
                Rework: new(0.08m, 0.07m), MinutesPerCorrection: 12m, Exceptions: new(3m, 2m), RunCost: new(560m, 580m),
                Backlog: BacklogShrinking.Yes),
            new Spec(
                Case(IncidentTriage, "Incident triage agent", "Classifies alerts, links runbooks and pages the right team.",
                    ValueModel.SystemsAndDependencyManagement, Stage.Production, alex, adele, "IT Operations", "Alert triage", PnlLine.Risk,
                    "Half the triage time; run cost within plan", 35,
                    new Baseline(30m, 250m, Eur(80m), 0.10m, 40m), 0.50m, 2000m),
                Weeks: 9,
                Adoption: new(0.66m, 0.80m), Tasks: new(180m, 240m), MinutesSaved: new(12m, 14m),
                Rework: new(0.08m, 0.07m), MinutesPerCorrection: 10m, Exceptions: new(5m, 4m), RunCost: new(450m, 470m, [560m, 610m, 680m, 740m]),
                Blocker: "Token spend is climbing: the agent now pulls full logs into every prompt.", Call: OwnersCall.AtRisk),
            new Spec(
                Case(DependencyUpgrades, "Dependency upgrade bot", "Opens tested pull requests for library and framework upgrades.",
                    ValueModel.SystemsAndDependencyManagement, Stage.Scaling, adele, alex, "Engineering", "Keeping dependencies current", PnlLine.Risk,
                    "60 % less engineer time per upgrade; no upgrade older than 90 days", 80,
                    new Baseline(60m, 150m, Eur(75m), 0.12m, 30m), 0.60m, 1500m),
                Weeks: 12,
                Adoption: new(0.70m, 0.85m), Tasks: new(90m, 160m), MinutesSaved: new(35m, 40m),
                Rework: new(0.12m, 0.08m), MinutesPerCorrection: 15m, Exceptions: new(6m, 4m), RunCost: new(340m, 360m),
                Win: "Closed the last critical CVE backlog item two weeks early.", Backlog: BacklogShrinking.Yes),
            new Spec(
                Case(InvoiceProcessing, "Invoice processing agent", "Reads supplier invoices, matches them to orders and books them.",
                    ValueModel.ProcessReengineering, Stage.Scaling, megan, alex, "Finance", "Accounts payable", PnlLine.Cost,
                    "60 % less handling time per invoice; exceptions under 2 %", 20,
                    new Baseline(12m, 1000m, Eur(45m), 0.06m, 20m), 0.60m, 2600m),
                Weeks: 12,
                Adoption: new(0.75m, 0.95m), Tasks: new(600m, 950m), MinutesSaved: new(6.5m, 7.5m),
                Rework: new(0.08m, 0.05m), MinutesPerCorrection: 5m, Exceptions: new(14m, 9m), RunCost: new(580m, 610m),
                Win: "Month-end close two days faster; no late-payment fees this quarter.", Backlog: BacklogShrinking.Yes),
            new Spec(
                Case(ClaimsHandling, "Autonomous claims handling", "An agent settles simple motor claims end to end.",
                    ValueModel.ProcessReengineering, Stage.Production, alex, lynne, "Claims", "Simple motor claims", PnlLine.Cost,
                    "60 % of simple claims settled without a handler; rework under 15 %", 50,
                    new Baseline(30m, 400m, Eur(50m), 0.10m, 40m), 0.60m, 6500m),
                Weeks: 10,
                Adoption: new(0.46m, 0.38m), Tasks: new(180m, 140m), MinutesSaved: new(9m, 7m),
                Rework: new(0.26m, 0.34m), MinutesPerCorrection: 25m, Exceptions: new(24m, 32m), RunCost: new(1450m, 1550m),
                Blocker: "Edge cases bounce back to handlers; the workflow was never redesigned around the agent.", Call: OwnersCall.OffTrack,
                Backlog: BacklogShrinking.No),
            new Spec(
                Case(Onboarding, "Employee onboarding workflow", "Prepares accounts, equipment orders and the first-week plan for new hires.",
                    ValueModel.ProcessReengineering, Stage.Production, isaiah, alex, "HR", "New-hire onboarding", PnlLine.Cost,
                    "Half the HR time per new hire; everything ready on day one", 15,
                    new Baseline(120m, 40m, Eur(50m), 0.10m, 30m), 0.50m, 800m),
                Weeks: 8,
                Adoption: new(0.67m, 0.87m), Tasks: new(25m, 40m), MinutesSaved: new(50m, 60m),
                Rework: new(0.10m, 0.07m), MinutesPerCorrection: 20m, Exceptions: new(2m, 1m), RunCost: new(180m, 190m),
                Win: "Every new hire this month had a laptop and accounts on day one.", Backlog: BacklogShrinking.Yes),
            new Spec(
                Case(KnowledgeSearch, "Policy knowledge search", "Answers staff questions from the policy handbook with citations.",
                    ValueModel.WorkforceEmpowerment, Stage.Pilot, lynne, alex, "People & Culture", "Looking up internal policies", PnlLine.Cost,
                    "Answers in seconds instead of a ticket to HR", 300,
                    new Baseline(10m, 600m, Eur(45m), 0.05m, 10m), 0.70m, 900m),
                Weeks: 3,
                Adoption: new(0.61m, 0.68m), Tasks: new(250m, 420m), MinutesSaved: new(6m, 7m),
                Rework: new(0.06m, 0.05m), MinutesPerCorrection: 3m, Exceptions: new(5m, 4m), RunCost: new(200m, 210m)),
        ];
    }

    private static UseCase Case(
        Guid id, string name, string description, ValueModel model, Stage stage, PersonRef owner, PersonRef sponsor,
        string orgUnit, string workflow, PnlLine pnl, string criteria, int targetUsers, Baseline baseline, decimal declared, decimal plannedPerMonth) => new()
    {
        Id = id,
        Name = name,
        Description = description,
        ValueModel = model,
        Stage = stage,
        Owner = owner,
        Sponsor = sponsor,
        OrgUnit = orgUnit,
        Workflow = workflow,
        PnlLine = pnl,
        SuccessCriteria = criteria,
        TargetUsers = targetUsers,
        Baseline = baseline,
        DeclaredPilotBenefit = declared,
        PlannedRunCostPerMonth = Eur(plannedPerMonth),
    };

    /// <summary>A value moving linearly from <c>From</c> to <c>To</c> with ±3 % noise; <c>Tail</c> fixes the last weeks exactly.</summary>
    private sealed record Curve(decimal From, decimal To, decimal[]? Tail = null)
    {
        public decimal At(int i, int weeks, Random random)
        {
            var noise = (decimal)(random.NextDouble() * 2 - 1) * 0.03m;
            if (Tail is { } tail && i >= weeks - tail.Length)
            {
                return tail[i - (weeks - tail.Length)];
            }

            var span = Math.Max(1, weeks - 1 - (Tail?.Length ?? 0));
            var t = Math.Min(1m, (decimal)i / span);
            return (From + (To - From) * t) * (1 + noise);
        }
    }

    private sealed record Spec(
        UseCase UseCase,
        int Weeks,
        Curve Adoption,
        Curve Tasks,
        Curve MinutesSaved,
        Curve Rework,
        decimal MinutesPerCorrection,
        Curve Exceptions,
        Curve RunCost,
        int[]? Missed = null,
        int? ModelChangedWeek = null,
        string? Win = null,
        string? Blocker = null,
        OwnersCall Call = OwnersCall.OnTrack,
        BacklogShrinking Backlog = BacklogShrinking.NotMeasured)
    {
        public IReadOnlySet<int> MissedWeeks { get; } = (Missed ?? []).ToHashSet();

        public Answer Answer(UseCase useCase, int i, int weeks, Random random)
        {
            var target = useCase.TargetUsers;
            var activeUsers = (int)Math.Round(Math.Clamp(Adoption.At(i, weeks, random), 0m, 1m) * target, MidpointRounding.AwayFromZero);
            var tasks = (int)Math.Round(Tasks.At(i, weeks, random), MidpointRounding.AwayFromZero);
            var runCost = Math.Round(RunCost.At(i, weeks, random), 2);
            var last = i == weeks - 1;
            return new Answer
            {
                ActiveUsers = activeUsers,
                Tasks = tasks,
                MinutesSavedPerTask = Math.Round(MinutesSaved.At(i, weeks, random), 1),
                ReworkShare = Math.Round(Math.Clamp(Rework.At(i, weeks, random), 0m, 1m), 3),
                MinutesPerCorrection = MinutesPerCorrection,
                Exceptions = (int)Math.Round(Exceptions.At(i, weeks, random), MidpointRounding.AwayFromZero),
                ModelChanged = ModelChangedWeek == i,
                ModelChangeNote = ModelChangedWeek == i ? "Moved to the new model version." : null,
                RunCost = new RunCost(
                    Eur(Math.Round(runCost * 0.60m, 2)),
                    Eur(Math.Round(runCost * 0.25m, 2)),
                    Eur(runCost - Math.Round(runCost * 0.60m, 2) - Math.Round(runCost * 0.25m, 2))),
                BacklogShrinking = Backlog,
                Win = i == weeks - 2 ? Win : null,
                ShareWinWithLeadership = i == weeks - 2 && Win is not null,
                Blocker = last ? Blocker : null,
                OwnersCall = last ? Call : OwnersCall.OnTrack,
            };
        }
    }
}
