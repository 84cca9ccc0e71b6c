using System.Net;

namespace LabOrchestrator.Podman;

/// <summary>The Podman API answered with an error; <see cref="Exception.Message"/> is Podman's own explanation.</summary>
internal sealed class PodmanApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
