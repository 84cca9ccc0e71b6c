using Microsoft.AspNetCore.Mvc;

namespace LabOrchestrator.Server.Labs;

/// <summary>
/// A request the API refuses with a known problem (bad archive, wrong name, quota reached…). Endpoints throw it from
/// deep inside a handler; <see cref="Hosting.ProblemExceptionHandler"/> turns it into problem details, as it does for every known error.
/// </summary>
internal sealed class RequestProblemException(int status, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Field { get; } = field;

    /// <summary>Extra members of the problem (limits, numbers) for clients that act on them.</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public ProblemDetails ToProblem()
    {
        var problem = new ProblemDetails { Status = Status, Title = Title, Detail = Message };
        if (Field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [Field] = [Message] };
        }

        foreach (var (key, value) in Extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}
