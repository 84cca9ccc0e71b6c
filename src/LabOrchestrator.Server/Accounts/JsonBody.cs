using System.Text.Json;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Reads a JSON request body, turning malformed JSON or a wrong value type into a 400 problem naming the field,
/// where binding it as a parameter would give an empty 400.
/// </summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new AccountException("Send the body as JSON, with the header 'Content-Type: application/json'.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new AccountException("The body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            var field = e.Path is null or "$" ? null : e.Path.TrimStart('$', '.');
            throw new AccountException($"The body is not valid JSON for this request: {e.Message}", field);
        }
    }
}
