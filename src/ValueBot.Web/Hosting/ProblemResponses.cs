using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ValueBot.Web.Hosting;

/// <summary>
/// Every failure answers with RFC 7807 problem details and nothing else: a request the server cannot read
/// (<see cref="BadHttpRequestException"/>: a body over its limit, a broken chunked body, a parameter that does not
/// bind) or a body that is not JSON is the caller's error (4xx); anything else is a 500 with a trace id and no
/// exception text, stack trace or request header, in every environment. Placed first in the pipeline, it also keeps
/// the developer exception page (which lists the request's headers, Authorization included) from ever answering.
/// </summary>
public static partial class ProblemResponses
{
    public static IServiceCollection AddProblemResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<FailureAsProblem>();
        return services;
    }

    public static IApplicationBuilder UseProblemResponses(this IApplicationBuilder app) => app.UseExceptionHandler();

    private sealed partial class FailureAsProblem(IProblemDetailsService problems, ILogger<FailureAsProblem> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            if (http.RequestAborted.IsCancellationRequested && exception is OperationCanceledException)
            {
                // The caller went away; there is no one to answer.
                http.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
                return true;
            }

            var problem = exception switch
            {
                BadHttpRequestException bad => new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request could not be read",
                },
                JsonException => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "The body is not valid JSON" },
                _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Something went wrong on our side" },
            };
            if (problem.Status >= 500)
            {
                Log.Unexpected(logger, exception, http.Request.Method, http.Request.Path.Value ?? "");
            }
            else
            {
                Log.BadRequest(logger, problem.Status ?? 400, http.Request.Method, http.Request.Path.Value ?? "", exception.Message);
            }

            http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
            // The exception stays out of the context so no writer can put its text in the body.
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        }

        private static partial class Log
        {
            [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unexpected failure answering {Method} {Path}")]
            public static partial void Unexpected(ILogger logger, Exception exception, string method, string path);

            [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Refused {Method} {Path} with {Status}: {Reason}")]
            public static partial void BadRequest(ILogger logger, int status, string method, string path, string reason);
        }
    }
}
