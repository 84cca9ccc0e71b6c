using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Sessions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LabOrchestrator.Server.Hosting;

/// <summary>Turns the library's and the server's known errors into RFC 9457 problem details; anything else is a 500 without details.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            LabValidationException invalid => LabProblems.Invalid(invalid.Diagnostics),
            LabNotFoundException or SessionNotFoundException => new ProblemDetails { Status = 404, Title = "Not found", Detail = exception.Message },
            LabAlreadyExistsException => new ProblemDetails { Status = 409, Title = "Conflict", Detail = exception.Message },
            InvalidSessionStateException => new ProblemDetails { Status = 409, Title = "Conflict", Detail = exception.Message },
            SessionLifecycleException lifecycle => new ProblemDetails { Status = 409, Title = lifecycle.Title, Detail = lifecycle.Message, Extensions = { ["code"] = lifecycle.Code } },
            RequestProblemException request => request.ToProblem(),
            AccountException account => Field(new ProblemDetails { Status = account.StatusCode, Title = TitleFor(account.StatusCode), Detail = account.Message }, account.Field),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
            Engines.EngineException engine => EngineProblem(engine, httpContext.User.IsInstructorOrAdmin()),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? 400;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// The engine failed on a learner's request (a check, a lifecycle call): a plain sentence for everyone, the engine's
    /// own words only for instructors and admins (as for failed starts), never a 500.
    /// </summary>
    private static ProblemDetails EngineProblem(Engines.EngineException engine, bool withDetails)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The lab's machines did not answer",
            Detail = "The machines of this session could not do what was asked. Try again in a moment; if it keeps failing, stop the session and start it again.",
        };
        if (withDetails)
        {
            problem.Extensions["engineDetail"] = engine.Message;
        }

        return problem;
    }

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict",
        _ => "Invalid request",
    };

    private static ProblemDetails Field(ProblemDetails problem, string? field)
    {
        if (field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [problem.Detail ?? ""] };
        }

        return problem;
    }
}
