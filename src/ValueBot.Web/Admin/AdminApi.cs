using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ValueBot.Domain.Common;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.StageGates;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Operator;
using ValueBot.Web.Previews;
using ValueBot.Web.UseCases;
using ValueBot.Web.People;

namespace ValueBot.Web.Admin;

/// <summary>The admin HTTP API under <c>/api/admin</c>: the use-case registry, evaluations, decisions and CSV for finance.</summary>
public static class AdminApi
{
    private const string FinanceTag = "Policy and finance";

    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.SectionName));
        builder.Services.AddAdminAuthentication();
        builder.Services.AddAdminOpenApi();
        builder.Services.AddScoped<PersonResolver>();
        builder.Services.AddHostedService<AdminStartupChecks>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminOpenApi();

        var admin = app.MapGroup("/api/admin").RequireAuthorization(AdminAuthentication.Policy)
            .RequireRateLimiting(Hosting.WebSecurity.AdminPolicy);
        var useCases = admin.MapGroup("/use-cases").WithTags("Use cases");
        useCases.MapGet("", ListAsync).WithName("ListUseCases").WithSummary("List use cases (paged)");
        useCases.MapPost("", CreateAsync).WithName("RegisterUseCase").WithSummary("Register a use case")
            .Accepts<UseCaseInput>("application/json");
        useCases.MapGet("/export", ExportUseCasesAsync).WithName("ExportUseCases").WithSummary("Export the registry as CSV (the import format)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        useCases.MapPost("/import", ImportAsync).WithName("ImportUseCases").WithSummary("Import use cases from CSV; all rows or none")
            .Accepts<string>("text/csv", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        useCases.MapGet("/{id}", GetAsync).WithName("GetUseCase").WithSummary("Read a use case");
        useCases.MapPut("/{id}", UpdateAsync).WithName("UpdateUseCase")
            .WithSummary("Replace a use case (every changed field is audited); send rowVersion to detect conflicts")
            .Accepts<UseCaseInput>("application/json");
        useCases.MapDelete("/{id}", RetireAsync).WithName("RetireUseCase").WithSummary("Retire a use case (soft)");
        useCases.MapGet("/{id}/audit", AuditAsync).WithName("UseCaseAudit").WithSummary("Audit trail: who, when, field, old and new value");
        useCases.MapGet("/{id}/evaluation", EvaluationAsync).WithName("EvaluateUseCase")
            .WithSummary("Metrics, the three figures over 90 days, leakage, warnings and the recommendation with its rules");
        useCases.MapGet("/{id}/decisions", DecisionsAsync).WithName("UseCaseDecisions").WithSummary("Recorded stage-gate decisions");
        useCases.MapPost("/{id}/decisions", RecordDecisionAsync).WithName("RecordDecision")
            .WithSummary("Record a decision (scale, redesign, hold, stop) with its reason")
            .Accepts<DecisionInput>("application/json");
        admin.MapGet("/policy", (UseCaseRegistry registry) => TypedResults.Ok(PolicyView.From(registry.OrganisationPolicy)))
            .WithName("OrganisationPolicy").WithTags(FinanceTag)
            .WithSummary("The organisation's stop-loss thresholds and rule parameters (Policy:*), which every use case follows where it sets none of its own");
        admin.MapGet("/answers/export", FinanceCsv.AnswersAsync).WithName("ExportAnswers").WithTags(FinanceTag).WithSummary("Every stored check-in answer as CSV")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        admin.MapGet("/metrics/export", FinanceCsv.MetricsAsync).WithName("ExportMetrics").WithTags(FinanceTag)
            .WithSummary("Weekly metrics per use case per answered week as CSV").Produces<string>(StatusCodes.Status200OK, "text/csv");
        admin.MapPreviewApi();
        admin.MapDeliveryApi();
        Evidence.EvidenceApi.MapEvidenceApi(admin);
        return app;
    }

    private static string Caller(HttpContext http) => AdminCaller.From(http.User).Name;

    private static async Task<Results<Ok<UseCasePageView>, ValidationProblem>> ListAsync(
        UseCaseRegistry registry, string? page, string? pageSize, string? includeRetired, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var p = PositiveInt(errors, "page", page, 1);
        var size = PositiveInt(errors, "pageSize", pageSize, 50);
        if (size > UseCaseRegistry.MaxPageSize)
        {
            errors["pageSize"] = [$"At most {UseCaseRegistry.MaxPageSize}."];
        }

        var retired = false;
        if (includeRetired is not null && !bool.TryParse(includeRetired, out retired))
        {
            errors["includeRetired"] = ["Use true or false."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await registry.ListAsync(p, size, retired, cancellationToken);
        return TypedResults.Ok(new UseCasePageView(result.Items.Select(i => UseCaseView.From(i, registry.OrganisationPolicy)).ToList(), result.Page, result.PageSize, result.Total));
    }

    private static async Task<Results<Ok<UseCaseView>, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        string id, UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        return await registry.GetAsync(guid, cancellationToken) is { } stored
            ? TypedResults.Ok(UseCaseView.From(stored, registry.OrganisationPolicy))
            : UnknownUseCase(guid);
    }

    private static async Task<Results<Created<UseCaseView>, ValidationProblem, Conflict<ProblemDetails>>> CreateAsync(
        HttpContext http, UseCaseRegistry registry, PersonResolver people, KnownPeople known, CheckInCalendar calendar, CancellationToken cancellationToken)
    {
        var (input, problem) = await ReadJsonAsync<UseCaseInput>(http.Request, cancellationToken);
        if (input is null)
        {
            return problem!;
        }

        var draft = await UseCaseInputs.ToDraftAsync(input, input.Id ?? Guid.NewGuid(), people, cancellationToken, registry.OrganisationPolicy, calendar.Cadence);
        if (draft.UseCase is not { } useCase)
        {
            return TypedResults.ValidationProblem(UseCaseInputs.ToProblemErrors(draft.Errors));
        }

        var result = await registry.CreateAsync(useCase, Caller(http), cancellationToken);
        if (result.Outcome == RegistryOutcome.Conflict)
        {
            return TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "Use case exists", $"A use case with id {useCase.Id} already exists."));
        }

        if (draft.Manager is { } manager && useCase.Owner is { } owner)
        {
            await known.SetManagerAsync(owner.AadObjectId, manager.AadObjectId, Caller(http), cancellationToken);
        }

        var stored = await registry.GetAsync(useCase.Id, cancellationToken);
        return TypedResults.Created($"/api/admin/use-cases/{useCase.Id:D}", UseCaseView.From(stored!, registry.OrganisationPolicy));
    }

    private static async Task<Results<Ok<UseCaseView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> UpdateAsync(
        string id, HttpContext http, UseCaseRegistry registry, PersonResolver people, KnownPeople known, CheckInCalendar calendar, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        var (input, problem) = await ReadJsonAsync<UseCaseInput>(http.Request, cancellationToken);
        if (input is null)
        {
            return problem!;
        }

        if (input.Id is { } bodyId && bodyId != guid)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["The id in the body differs from the id in the path."] });
        }

        var existing = await registry.GetAsync(guid, cancellationToken);
        if (existing is null)
        {
            return UnknownUseCase(guid);
        }

        var draft = await UseCaseInputs.ToDraftAsync(input, guid, people, cancellationToken, registry.OrganisationPolicy, calendar.Cadence);
        if (draft.UseCase is not { } useCase)
        {
            return TypedResults.ValidationProblem(UseCaseInputs.ToProblemErrors(draft.Errors));
        }

        var result = await registry.UpdateAsync(guid, useCase with { Retired = existing.UseCase.Retired }, input.RowVersion, Caller(http), cancellationToken);
        if (result.Outcome == RegistryOutcome.Done && draft.Manager is { } manager && useCase.Owner is { } owner)
        {
            await known.SetManagerAsync(owner.AadObjectId, manager.AadObjectId, Caller(http), cancellationToken);
        }

        return result.Outcome switch
        {
            RegistryOutcome.NotFound => UnknownUseCase(guid),
            RegistryOutcome.Conflict => TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "Changed by someone else",
                "The use case changed since you read it; read it again and reapply your change.")),
            _ => TypedResults.Ok(UseCaseView.From((await registry.GetAsync(guid, cancellationToken))!, registry.OrganisationPolicy)),
        };
    }

    private static async Task<Results<Ok<UseCaseView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> RetireAsync(
        string id, HttpContext http, UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        var result = await registry.RetireAsync(guid, Caller(http), cancellationToken);
        return result.Outcome switch
        {
            RegistryOutcome.NotFound => UnknownUseCase(guid),
            RegistryOutcome.Conflict => TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "Changed by someone else", "Try again.")),
            _ => TypedResults.Ok(UseCaseView.From((await registry.GetAsync(guid, cancellationToken))!, registry.OrganisationPolicy)),
        };
    }

    private static async Task<Results<Ok<List<AuditEntryView>>, ValidationProblem, NotFound<ProblemDetails>>> AuditAsync(
        string id, UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        if (await registry.GetAsync(guid, cancellationToken) is null)
        {
            return UnknownUseCase(guid);
        }

        var entries = await registry.AuditTrailAsync(guid, cancellationToken);
        return TypedResults.Ok(entries.Select(a => new AuditEntryView(a.Field, a.OldValue, a.NewValue, a.ChangedBy, a.ChangedAt)).ToList());
    }

    private static async Task<Results<Ok<EvaluationView>, ValidationProblem, NotFound<ProblemDetails>>> EvaluationAsync(
        string id, string? week, UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        IsoWeek? asOf = null;
        if (week is not null)
        {
            if (!IsoWeek.TryParse(week, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["week"] = ["Give an ISO week like 2026-W10."] });
            }

            asOf = parsed;
        }

        var evaluation = await registry.EvaluateAsync(guid, asOf, cancellationToken);
        return evaluation is null ? UnknownUseCase(guid) : TypedResults.Ok(EvaluationView.From(evaluation));
    }

    private static async Task<Results<Ok<List<DecisionView>>, ValidationProblem, NotFound<ProblemDetails>>> DecisionsAsync(
        string id, UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        if (await registry.GetAsync(guid, cancellationToken) is null)
        {
            return UnknownUseCase(guid);
        }

        return TypedResults.Ok((await registry.DecisionsAsync(guid, cancellationToken)).Select(View).ToList());
    }

    private static async Task<Results<Created<DecisionView>, ValidationProblem, NotFound<ProblemDetails>>> RecordDecisionAsync(
        string id, HttpContext http, UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return InvalidId();
        }

        var (input, problem) = await ReadJsonAsync<DecisionInput>(http.Request, cancellationToken);
        if (input is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        if (!AdminJson.TryParse<Recommendation>(input.Decision, out var outcome))
        {
            errors["decision"] = [$"Pick one of: {AdminJson.Choices<Recommendation>()}."];
        }

        if (string.IsNullOrWhiteSpace(input.Reason))
        {
            errors["reason"] = ["Record the reason for the decision."];
        }
        else if (UseCaseLimits.TextProblem(input.Reason, UseCaseLimits.ReasonLength) is { } reasonProblem)
        {
            errors["reason"] = [reasonProblem];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var recorded = await registry.RecordDecisionAsync(guid, outcome, input.Reason!.Trim(), Caller(http), cancellationToken);
        if (recorded is not { } r)
        {
            return UnknownUseCase(guid);
        }

        return TypedResults.Created($"/api/admin/use-cases/{guid:D}/decisions", View(r.Decision));
    }

    private static async Task<FileContentHttpResult> ExportUseCasesAsync(UseCaseRegistry registry, CancellationToken cancellationToken)
    {
        var all = await registry.AllAsync(cancellationToken);
        return CsvText.File(UseCaseCsv.Write(all.Select(s => s.UseCase)), "use-cases.csv");
    }

    private static async Task<Results<Ok<ImportView>, ProblemHttpResult>> ImportAsync(
        HttpContext http, UseCaseRegistry registry, PersonResolver people, KnownPeople known, CheckInCalendar calendar, CancellationToken cancellationToken)
    {
        var request = http.Request;
        // The server enforces this while the body is read, so a chunked body (no Content-Length) is held to it too.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = UseCaseLimits.ImportBytes;
        }

        if (request.ContentLength > UseCaseLimits.ImportBytes)
        {
            return FileTooLarge();
        }

        string text;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                if (form.Files.Count != 1)
                {
                    return ImportProblem([new CsvLineError(0, "file", "Send one CSV file.")]);
                }

                using var reader = new StreamReader(form.Files[0].OpenReadStream(), Encoding.UTF8);
                text = await reader.ReadToEndAsync(cancellationToken);
            }
            else
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                text = await reader.ReadToEndAsync(cancellationToken);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return FileTooLarge();
        }
        catch (InvalidDataException e)
        {
            // A multipart body that is malformed or over the form limits.
            return ImportProblem([new CsvLineError(0, "file", "The upload could not be read: " + e.Message)]);
        }

        var (useCases, errors) = UseCaseCsv.Read(text, registry.OrganisationPolicy, people.IsLocalMode, calendar.Cadence);
        if (errors.Count > 0)
        {
            return ImportProblem(errors);
        }

        var (created, updated) = await registry.ImportAsync(useCases, Caller(http), cancellationToken);
        return TypedResults.Ok(new ImportView(created, updated));

        static ProblemHttpResult FileTooLarge() =>
            TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                detail: $"At most {UseCaseLimits.ImportBytes / 1024 / 1024} MB; nothing was imported.");
    }

    private static ProblemHttpResult ImportProblem(IReadOnlyList<CsvLineError> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The file was not imported",
            detail: $"{errors.Count} problem{(errors.Count == 1 ? "" : "s")}; nothing was imported. First: line {errors[0].Line}, {errors[0].Field}: {errors[0].Message}",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Take(200).ToList() });

    private static DecisionView View(Decision d) => new(d.Id, d.UseCaseId, d.Outcome, d.Recommendation, d.Reason, d.DecidedBy, d.DecidedAt);

    /// <summary>Reads a JSON body; malformed JSON or a wrongly typed member is a 400 naming the member, never a 500.</summary>
    private static async Task<(T? Value, ValidationProblem? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send JSON with Content-Type application/json."] }));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, AdminJson.Options, cancellationToken);
            return value is null
                ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body must be a JSON object."] }))
                : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"Not valid JSON here (line {e.LineNumber + 1})."] }));
        }
    }

    private static int PositiveInt(Dictionary<string, string[]> errors, string field, string? text, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return value;
        }

        errors[field] = ["A whole number of 1 or more."];
        return fallback;
    }

    private static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["The id must be a GUID."] });

    private static NotFound<ProblemDetails> UnknownUseCase(Guid id) =>
        TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, "Unknown use case", $"No use case has id {id}."));

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}

public sealed record ImportView(int Created, int Updated);
