using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using ValueBot.Benchmarks;
using ValueBot.Benchmarks.Submission;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Hosting;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using Stopwatch = System.Diagnostics.Stopwatch;

// Check-in answers through /api/messages with full Bot Framework token validation, at a fixed rate (open loop), then the
// same load against a bare Kestrel endpoint in the same process: p50/p99/max latency from each request's scheduled
// send time, throughput, errors, and a closed-loop run of each for their saturation throughput. Ends by counting the
// stored answers: every submission stored exactly once.
var options = new BenchmarkArgs(args);
var rate = options.Int("--rate", 200);
var seconds = options.Int("--seconds", 30);
var useCaseCount = options.Int("--use-cases", 1000);
var saturationSeconds = options.Int("--saturation-seconds", 5);
var concurrency = options.Int("--concurrency", 32);
var engines = options.Engines();

Console.WriteLine($"ValueBot answer-submission benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                  $"load average {BenchmarkTable.LoadAverage()}; {useCaseCount:N0} use cases, {rate}/s for {seconds} s, saturation {concurrency} in flight for {saturationSeconds} s");
foreach (var engine in engines)
{
    await SubmissionRun.RunAsync(engine, useCaseCount, rate, seconds, saturationSeconds, concurrency);
}

Console.WriteLine($"load average at the end {BenchmarkTable.LoadAverage()}");
return;

namespace ValueBot.Benchmarks.Submission
{
    internal static class SubmissionRun
    {
        private const string AppId = "00000000-0000-0000-0000-0000000000b0";
        private const string TenantId = "11111111-1111-1111-1111-111111111111";

        public static async Task RunAsync(string engine, int useCaseCount, int rate, int seconds, int saturationSeconds, int concurrency)
        {
            var (connectionString, cleanup) = await ScratchDatabase.CreateAsync(engine);
            try
            {
                await using var issuer = await FakeTokenIssuer.StartAsync();
                await using var connector = await FakeConnector.StartAsync();
                await using var app = await StartHostAsync(connectionString, issuer, connector);
                var hostUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
                await using var bare = await StartBareAsync();
                var bareUrl = bare.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');

                var seeding = Stopwatch.StartNew();
                var (useCases, week, queued) = await SeedAsync(app.Services, connector.ServiceUrl, useCaseCount);
                Console.WriteLine($"[{engine}] seeded {useCases.Count:N0} use cases, owners and installations; the check-in cycle opened {week} ({queued} check-ins queued) in {seeding.Elapsed.TotalSeconds:F1} s");

                // One Bot Framework token per owner, minted up front (Teams reuses a token for its hour; every request is still validated in full).
                var tokens = useCases.Select(_ => issuer.CreateBotFrameworkToken(AppId, connector.ServiceUrl)).ToArray();
                var submissions = new Submissions(useCases, week, tokens, connector.ServiceUrl);

                using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = int.MaxValue })
                { Timeout = TimeSpan.FromSeconds(30) };
                var hostTarget = new Uri(hostUrl + "/api/messages");
                var bareTarget = new Uri(bareUrl + "/api/messages");

                // Warm-up: JIT, connection pool, the database's caches; not counted.
                await Load.OpenAsync(http, hostTarget, submissions.Next, IsReceipt, rate, 2);
                await Load.OpenAsync(http, bareTarget, submissions.Peek, IsOk, rate, 2);

                var hostOpen = await Load.OpenAsync(http, hostTarget, submissions.Next, IsReceipt, rate, seconds);
                var bareOpen = await Load.OpenAsync(http, bareTarget, submissions.Peek, IsOk, rate, seconds);
                var hostClosed = await Load.ClosedAsync(http, hostTarget, submissions.Next, IsReceipt, concurrency, saturationSeconds);
                var bareClosed = await Load.ClosedAsync(http, bareTarget, submissions.Peek, IsOk, concurrency, saturationSeconds);

                var label = engine == "sqlite" ? "SQLite" : "PostgreSQL";
                Console.WriteLine($"[{engine}] open loop at {rate}/s for {seconds} s (latency from the scheduled send time):");
                Console.WriteLine($"[{engine}]   /api/messages (token validation, store, receipt): {hostOpen}");
                Console.WriteLine($"[{engine}]   bare Kestrel endpoint:                             {bareOpen}");
                var ratio = bareOpen.Throughput > 0 ? hostOpen.Throughput / bareOpen.Throughput : 0;
                Console.WriteLine($"[{engine}]   throughput ratio {ratio:F2}; p99 ratio {(bareOpen.P99 > 0 ? hostOpen.P99 / bareOpen.P99 : 0):F1}×");
                Console.WriteLine($"[{engine}] closed loop, {concurrency} in flight for {saturationSeconds} s (saturation):");
                Console.WriteLine($"[{engine}]   /api/messages: {hostClosed}");
                Console.WriteLine($"[{engine}]   bare Kestrel:  {bareClosed}");
                var saturationRatio = bareClosed.Throughput > 0 ? hostClosed.Throughput / bareClosed.Throughput : 0;
                Console.WriteLine($"[{engine}]   saturation throughput ratio {saturationRatio:F3}");

                var stored = await CountAsync(app.Services);
                var sent = submissions.Issued;
                var exactlyOnce = stored.Answered == sent && stored.Figures == sent && stored.Replaced == 0;
                Console.WriteLine($"[{engine}] stored: {stored.Answered:N0} answered weeks and {stored.Figures:N0} weekly-figures rows for {sent:N0} submissions, " +
                                  $"{stored.Replaced} replaced; every answer stored exactly once: {(exactlyOnce ? "yes" : "NO")}");

                BenchmarkTable.Row($"answer submission p99 at {rate}/s, {label}", $"{hostOpen.P99:F1} ms (p50 {hostOpen.P50:F1}, max {hostOpen.Max:F0})", "< 50 ms", hostOpen.P99 < 50 && hostOpen.Errors == 0);
                BenchmarkTable.Row($"answer throughput vs bare Kestrel at {rate}/s, {label}", $"{hostOpen.Throughput:F0}/s vs {bareOpen.Throughput:F0}/s = {ratio:F2}", "≥ 0.5", ratio >= 0.5);
                BenchmarkTable.Row($"answer saturation vs bare Kestrel ({concurrency} in flight), {label}", $"{hostClosed.Throughput:F0}/s vs {bareClosed.Throughput:F0}/s = {saturationRatio:F3}", "— (context)", null);
                BenchmarkTable.Row($"answers stored exactly once, {label}", $"{stored.Answered:N0} of {sent:N0}, {hostOpen.Errors + hostClosed.Errors} errors", "all, 0 errors", exactlyOnce && hostOpen.Errors + hostClosed.Errors == 0);
                await app.StopAsync();
            }
            finally
            {
                await cleanup();
            }
        }

        private static bool IsOk(int status, string body) => status == 200;

        // The receipt card: the answer was stored (a refusal, an error card or an outlier check is not).
        private static bool IsReceipt(int status, string body) => status == 200 && body.Contains("check-in stored", StringComparison.Ordinal);

        private static async Task<WebApplication> StartHostAsync(string connectionString, FakeTokenIssuer issuer, FakeConnector connector)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:ValueBot"] = connectionString,
                ["Bot:AppId"] = AppId,
                ["Bot:TenantId"] = TenantId,
                ["Bot:Credential:Type"] = "ClientSecret",
                ["Bot:Credential:ClientSecret"] = "not-used",
                ["Bot:TrustedServiceUrls:0"] = connector.ServiceUrl,
                ["Bot:Authentication:BotFrameworkMetadataAddress"] = issuer.BotFrameworkMetadataAddress,
                ["Bot:Authentication:EntraMetadataAddressTemplate"] = issuer.EntraMetadataAddressTemplate,
                ["Schedule:Enabled"] = "false", // the benchmark runs the cycle once itself, to open the week
                ["Schedule:ReminderDay"] = "Sunday",
                ["Schedule:ReminderTime"] = "23:58",
                ["Schedule:DeadlineDay"] = "Sunday",
                ["Schedule:DeadlineTime"] = "23:59",
                ["Delivery:Enabled"] = "false", // the queued cards stay queued: only the answers are measured
            });
            builder.Services.AddSingleton(new BotConnectorCredential(new FixedToken()));
            builder.AddValueBot();
            var app = builder.Build();
            app.MapValueBot();
            await app.StartAsync();
            return app;
        }

        // The comparison: Kestrel on loopback answering every POST with 200 and a small JSON body, nothing else.
        private static async Task<WebApplication> StartBareAsync()
        {
            var builder = LoopbackApp.CreateBuilder("Production");
            var app = builder.Build();
            var body = Encoding.UTF8.GetBytes("""{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"ok"}""");
            app.MapPost("/api/messages", async (HttpContext http) =>
            {
                http.Response.ContentType = "application/json";
                await http.Response.Body.WriteAsync(body);
            });
            await app.StartAsync();
            return app;
        }

        /// <summary>
        /// A registry of <paramref name="count"/> use cases, each with its own owner and personal installation, launched
        /// three years ago (so earlier weeks take late answers), and one run of the check-in cycle: this week is open, every
        /// check-in queued.
        /// </summary>
        private static async Task<(IReadOnlyList<UseCase> UseCases, IsoWeek Week, int Queued)> SeedAsync(IServiceProvider services, string serviceUrl, int count)
        {
            var launch = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-3);
            var useCases = Enumerable.Range(0, count).Select(i => new UseCase
            {
                Id = Guid.NewGuid(),
                Name = $"Use case {i:D5}",
                ValueModel = ValueModel.ProcessReengineering,
                Owner = new PersonRef($"aad-owner-{i}", $"Owner {i}"),
                TargetUsers = 100,
                Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
                PlannedRunCostPerMonth = new Money(1300m, "EUR"),
                LaunchDate = launch,
                CheckInSchedule = new CheckInSchedule(DayOfWeek.Monday, TimeOnly.MinValue),
            }).ToList();
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<UseCaseRegistry>().ImportAsync(useCases, "benchmark", CancellationToken.None);
                var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
                var now = DateTime.UtcNow;
                db.Installations.AddRange(Enumerable.Range(0, count).Select(i => new Installation
                {
                    ConversationId = $"a:owner-{i}",
                    Scope = "personal",
                    ServiceUrl = serviceUrl,
                    TenantId = TenantId,
                    AadObjectId = $"aad-owner-{i}",
                    InstalledAt = now,
                    UpdatedAt = now,
                }));
                await db.SaveChangesAsync();
            }

            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<CheckInCycle>().RunAsync(CancellationToken.None);
            }

            await using (var scope = services.CreateAsyncScope())
            {
                var weeks = await scope.ServiceProvider.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking()
                    .GroupBy(c => c.Week).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
                var open = weeks.OrderByDescending(w => w.Count).FirstOrDefault();
                return (useCases, open?.Key ?? IsoWeek.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)), open?.Count ?? 0);
            }
        }

        private static async Task<(int Answered, int Figures, int Replaced)> CountAsync(IServiceProvider services)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ValueBotDbContext>();
            var answered = await db.Set<CheckIn>().CountAsync(c => c.Status == CheckInStatus.Answered && c.AnsweredBy != null);
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM weekly_figures";
            var figures = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            var replaced = await db.Set<AuditEntry>().CountAsync(a => a.Entity == CheckInStore.AuditEntity && a.Field == "answer");
            return (answered, figures, replaced);
        }
    }

    /// <summary>
    /// The check-in answers to send, each for a different (use case, week): round the registry through this week first
    /// (the week the cycle opened), then the weeks before it (late answers), so consecutive requests come from different
    /// owners and no week is answered twice. The body is the <c>adaptiveCard/action</c> invoke Teams sends when the owner
    /// presses the card's submit: the data of the card's own answer action with the inputs merged in.
    /// </summary>
    internal sealed class Submissions
    {
        private readonly IReadOnlyList<UseCase> _useCases;
        private readonly IsoWeek _week;
        private readonly string[] _tokens;
        private readonly string _serviceUrl;
        private readonly JsonObject[] _cardData;
        private int _next = -1;

        public Submissions(IReadOnlyList<UseCase> useCases, IsoWeek week, string[] tokens, string serviceUrl)
        {
            _useCases = useCases;
            _week = week;
            _tokens = tokens;
            _serviceUrl = serviceUrl;
            _cardData = useCases.Select(u => AnswerActionData(CheckInCard.Build(u, week, null))).ToArray();
        }

        /// <summary>How many distinct submissions were handed out by <see cref="Next"/>.</summary>
        public int Issued => Volatile.Read(ref _next) + 1;

        /// <summary>The next submission, never handed out before.</summary>
        public HttpRequestMessage Next() => Build(Interlocked.Increment(ref _next));

        /// <summary>A submission like the next one, without using it up (for the bare endpoint, which stores nothing).</summary>
        public HttpRequestMessage Peek() => Build(Math.Max(0, Issued) + Random.Shared.Next(_useCases.Count));

        private HttpRequestMessage Build(int index)
        {
            var owner = index % _useCases.Count;
            var useCase = _useCases[owner];
            var week = _week.AddWeeks(-(index / _useCases.Count));
            var data = (JsonObject)_cardData[owner].DeepClone();
            data[CheckInCard.WeekKey] = week.ToString();
            // What the owner typed: plausible for the use case (within its baseline and target users), the same each week.
            var answer = new Answer
            {
                ActiveUsers = 40 + owner % 50,
                Tasks = 150 + owner % 200,
                MinutesSavedPerTask = 4m + owner % 5,
                ReworkShare = (5 + owner % 10) / 100m,
                MinutesPerCorrection = 5m,
                Exceptions = owner % 7,
                RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(200m + owner % 150, "EUR") },
            };
            foreach (var (key, value) in AnswerFields.ToStoredFormValues(answer, useCase.ValueModel))
            {
                data[key] = value;
            }

            var user = useCase.Owner!;
            var activity = new Activity
            {
                Type = ActivityTypes.Invoke,
                Name = "adaptiveCard/action",
                Id = "f:" + Guid.NewGuid().ToString("N"),
                ServiceUrl = _serviceUrl,
                ChannelId = "msteams",
                From = new ChannelAccount { Id = $"29:owner-{owner}", AadObjectId = user.AadObjectId, Name = user.DisplayName },
                Recipient = new ChannelAccount { Id = "28:" + "00000000-0000-0000-0000-0000000000b0", Name = "ValueBot" },
                Conversation = new ConversationAccount { Id = $"a:owner-{owner}", ConversationType = ConversationTypes.Personal, TenantId = "11111111-1111-1111-1111-111111111111" },
                ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = "11111111-1111-1111-1111-111111111111" } },
                Value = JsonSerializer.SerializeToElement(new JsonObject
                {
                    ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = CheckInCard.AnswerVerb, ["data"] = data },
                    ["trigger"] = "manual",
                }),
            };
            var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null)
            {
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(activity, TeamsJsonContext.Default.Activity)),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _tokens[owner]);
            return request;
        }

        // The data of the card's answer action (use case, week, revision), as the card sends it.
        private static JsonObject AnswerActionData(ValueBot.Teams.Cards.AdaptiveCard card)
        {
            var found = Find(JsonNode.Parse(card.ToJson())!);
            return found ?? throw new InvalidOperationException("The check-in card has no answer action.");

            static JsonObject? Find(JsonNode node)
            {
                switch (node)
                {
                    case JsonObject o:
                        if (o["type"]?.GetValue<string>() == "Action.Execute" && o["verb"]?.GetValue<string>() == CheckInCard.AnswerVerb && o["data"] is JsonObject data)
                        {
                            return (JsonObject)data.DeepClone();
                        }

                        foreach (var (_, child) in o)
                        {
                            if (child is not null && Find(child) is { } hit)
                            {
                                return hit;
                            }
                        }

                        return null;
                    case JsonArray a:
                        foreach (var child in a)
                        {
                            if (child is not null && Find(child) is { } hit)
                            {
                                return hit;
                            }
                        }

                        return null;
                    default:
                        return null;
                }
            }
        }
    }

    /// <summary>One phase's figures: latency percentiles in ms, completed requests per second, failures.</summary>
    internal sealed record LoadResult(int Sent, int Errors, double P50, double P99, double Max, double Throughput, double CpuMsPerRequest, string? FirstError)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Sent:N0} sent, p50 {P50:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms, {Throughput:F1}/s, {CpuMsPerRequest:F2} ms CPU each (client included), {Errors} errors{(FirstError is null ? "" : $" (first: {FirstError})")}");
    }

    internal static class Load
    {
        /// <summary>
        /// Open loop: request i is due at i / rate seconds after the start and is sent then, whatever the earlier ones are
        /// doing; its latency counts from when it was due, so a slow server (or a late client) cannot hide its queue.
        /// </summary>
        public static async Task<LoadResult> OpenAsync(
            HttpClient http, Uri target, Func<HttpRequestMessage> next, Func<int, string, bool> check, int rate, int seconds)
        {
            var total = rate * seconds;
            var requests = Enumerable.Range(0, total).Select(_ => next()).ToArray(); // built before the clock starts
            var latencies = new double[total];
            var done = new double[total];
            var failures = new string?[total];
            var inFlight = new Task[total];
            var cpu = CpuTime();
            var clock = Stopwatch.StartNew();
            var scheduler = new Thread(() =>
            {
                for (var i = 0; i < total; i++)
                {
                    var due = i * 1000.0 / rate;
                    while (clock.Elapsed.TotalMilliseconds < due)
                    {
                        if (due - clock.Elapsed.TotalMilliseconds > 1.5)
                        {
                            Thread.Sleep(1);
                        }
                        else
                        {
                            Thread.SpinWait(50);
                        }
                    }

                    inFlight[i] = ShootAsync(http, target, requests[i], check, clock, due, i, latencies, done, failures);
                }
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "open-loop scheduler" };
            scheduler.Start();
            await Task.Run(scheduler.Join);
            await Task.WhenAll(inFlight);
            return Summarise(total, latencies, failures, done.Max(), CpuTime() - cpu);
        }

        /// <summary>Closed loop: <paramref name="concurrency"/> clients, each sending its next request as soon as the last answered.</summary>
        public static async Task<LoadResult> ClosedAsync(
            HttpClient http, Uri target, Func<HttpRequestMessage> next, Func<int, string, bool> check, int concurrency, int seconds)
        {
            var latencies = new List<double>();
            var failures = new List<string?>();
            var gate = new Lock();
            var cpu = CpuTime();
            var clock = Stopwatch.StartNew();
            var end = seconds * 1000.0;
            var last = 0.0;
            var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                var l = new double[1];
                var d = new double[1];
                var f = new string?[1];
                while (clock.Elapsed.TotalMilliseconds < end)
                {
                    var start = clock.Elapsed.TotalMilliseconds;
                    await ShootAsync(http, target, next(), check, clock, start, 0, l, d, f);
                    lock (gate)
                    {
                        latencies.Add(l[0]);
                        failures.Add(f[0]);
                        last = Math.Max(last, d[0]);
                    }
                }
            })).ToArray();
            await Task.WhenAll(workers);
            return Summarise(latencies.Count, latencies.ToArray(), failures.ToArray(), last, CpuTime() - cpu);
        }

        private static async Task ShootAsync(
            HttpClient http, Uri target, HttpRequestMessage request, Func<int, string, bool> check, Stopwatch clock, double due, int i,
            double[] latencies, double[] done, string?[] failures)
        {
            await Task.Yield(); // off the scheduler thread at once
            string? failure = null;
            try
            {
                request.RequestUri = target;
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (!check((int)response.StatusCode, body))
                {
                    failure = $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 160)]}";
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = e.GetType().Name + ": " + e.Message;
            }
            finally
            {
                request.Dispose();
            }

            var now = clock.Elapsed.TotalMilliseconds;
            latencies[i] = now - due;
            done[i] = now;
            failures[i] = failure;
        }

        // The whole process's CPU time: on a shared machine, what a request costs whatever the other processes are doing.
        private static TimeSpan CpuTime() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

        private static LoadResult Summarise(int sent, double[] latencies, string?[] failures, double lastDoneMs, TimeSpan cpu)
        {
            var sorted = latencies.Order().ToArray();
            double At(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            var errors = failures.Count(f => f is not null);
            var throughput = lastDoneMs > 0 ? (sent - errors) / (lastDoneMs / 1000) : 0;
            return new LoadResult(sent, errors, At(0.50), At(0.99), sorted.Length == 0 ? 0 : sorted[^1], throughput,
                sent == 0 ? 0 : cpu.TotalMilliseconds / sent, failures.FirstOrDefault(f => f is not null));
        }
    }

    internal sealed class FixedToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("benchmark-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
