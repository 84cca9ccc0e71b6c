using System.Text.Json;
using LabOrchestrator.Server.Labs;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Sessions;

/// <summary>Reads a JSON body, answering malformed JSON with a 400 problem that names where it broke.</summary>
internal static class SessionJsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw LabProblems.UnsupportedMediaType(request.ContentType, "application/json");
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken)
                ?? throw new RequestProblemException(StatusCodes.Status400BadRequest, "Bad request", "The body is empty; send a JSON object.", "$");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON{where}.", e.Path ?? "$");
        }
    }
}
