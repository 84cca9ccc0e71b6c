using LabOrchestrator.Engines;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman;

/// <summary>
/// Whether this process uses the Podman engine: when it is the default engine (or none is named), or when Podman is
/// installed here anyway (to go on serving sessions started on it before another engine became the default). A server
/// in a Kubernetes pod with <c>Engine:Default=kubernetes</c> and no Podman neither lists it nor checks it.
/// </summary>
internal sealed class PodmanUse(IOptions<EngineOptions> engines, IOptions<PodmanEngineOptions> options)
{
    public string? OtherDefault => engines.Value.Default is { } name && name != PodmanEngine.EngineName ? name : null;

    public bool IsUsed => OtherDefault is null || ExecutableLookup.Find(options.Value.PodmanPath) is not null;
}
