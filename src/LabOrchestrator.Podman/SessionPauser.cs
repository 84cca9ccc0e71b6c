using System.Net;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Pauses and resumes every pod of a session through libpod's <c>pods/{name}/pause</c> and <c>/unpause</c>: the cgroup
/// freezer stops every process of the pod where it is, memory kept, no CPU used. A VM node is qemu inside its launcher
/// pod, so the whole guest freezes with it.
/// </summary>
internal sealed partial class SessionPauser(PodmanApiClient api, ILogger logger)
{
    public Task PauseAsync(string sessionId, CancellationToken cancellationToken) => ApplyAsync(sessionId, "pause", cancellationToken);

    public Task ResumeAsync(string sessionId, CancellationToken cancellationToken) => ApplyAsync(sessionId, "unpause", cancellationToken);

    private async Task ApplyAsync(string sessionId, string action, CancellationToken cancellationToken)
    {
        var selector = new Dictionary<string, string> { [LabLabels.Session] = sessionId };
        var pods = (await new SessionInventory(api, logger).ListAsync(selector, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Kind == "pod")
            .ToList();
        if (pods.Count == 0)
        {
            throw new EngineException($"Session '{sessionId}' has no pods to {action}; were they removed?");
        }

        // All pods at once: resuming a lab of several nodes takes as long as its slowest pod, not their sum.
        await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await api.PostJsonAsync($"pods/{Uri.EscapeDataString(pod.Name)}/{action}", null, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Already in the state asked for (paused twice, or resumed twice): nothing to do.
            }
        })).ConfigureAwait(false);
        LogPauseChanged(logger, sessionId, action, pods.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {Action} of {Pods} pod(s) done")]
    private static partial void LogPauseChanged(ILogger logger, string sessionId, string action, int pods);
}
