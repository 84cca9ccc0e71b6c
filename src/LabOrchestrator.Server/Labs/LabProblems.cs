using LabOrchestrator.Labs;
using Microsoft.AspNetCore.Mvc;

namespace LabOrchestrator.Server.Labs;

/// <summary>Problem details of the labs API: invalid labs with every file:line diagnostic, unknown labs, bad uploads.</summary>
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

    public static RequestProblemException NotFound(string name) =>
        new(StatusCodes.Status404NotFound, "Not found", $"There is no lab '{name}'. List labs with GET /api/labs.");

    public static RequestProblemException BadArchive(string detail) =>
        new(StatusCodes.Status400BadRequest, "The archive was refused", $"{detail} Nothing was stored.", "archive");

    public static RequestProblemException UnsupportedMediaType(string? contentType, string expected) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"The body is '{contentType ?? "without a content type"}'; send {expected}.");
}
