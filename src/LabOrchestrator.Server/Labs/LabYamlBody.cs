using System.Text;
using Microsoft.Net.Http.Headers;

namespace LabOrchestrator.Server.Labs;

/// <summary>Reads a lab file sent as the request body.</summary>
internal static class LabYamlBody
{
    public const string Expected = "a lab file as application/yaml, text/yaml or text/plain";

    public static readonly string[] ContentTypes = ["application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml", "text/plain"];

    public static bool IsYaml(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && ContentTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The body as text; Kestrel's body size limit (Server:MaxUploadBytes) answers 413 for oversized bodies.</summary>
    public static async Task<string> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsYaml(request))
        {
            throw LabProblems.UnsupportedMediaType(request.ContentType, Expected);
        }

        using var reader = new StreamReader(request.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        try
        {
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Bad request", "The lab file is not valid UTF-8 text.");
        }
    }
}
