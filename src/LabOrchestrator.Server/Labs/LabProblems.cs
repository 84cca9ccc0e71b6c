using LabOrchestrator.Labs;
using Microsoft.AspNetCore.Mvc;

namespace LabOrchestrator.Server.Labs;

/// <summary>Problem details for labs that fail validation: every diagnostic, with its file:line message.</summary>
internal static class LabProblems
{
    public static ProblemDetails Invalid(IReadOnlyList<LabDiagnostic> diagnostics)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The lab is not valid",
            Detail = $"The lab has {diagnostics.Count} problem(s); nothing was stored.",
        };
        problem.Extensions["diagnostics"] = diagnostics.Select(d => new
        {
            file = d.File,
            line = d.Line,
            column = d.Column,
            path = d.Path,
            message = d.Message,
            hint = d.Hint,
            text = d.ToString(),
        }).ToList();
        return problem;
    }
}
