using System.Net;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman;

/// <summary>
/// Makes a node's per-learner storage volumes exist before its pod is played, with their labels (kube play would make a
/// missing claim's volume itself, but without them). They carry no session label, so deleting a session leaves them.
/// </summary>
internal static class StorageVolumes
{
    public static async Task EnsureAsync(PodmanApiClient api, PlannedNode node, CancellationToken cancellationToken)
    {
        foreach (var storage in node.Storage)
        {
            if (await api.GetAsync($"volumes/{Uri.EscapeDataString(storage.ClaimName)}/json", cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            // Podman labels may hold any text, so the folder goes into one; a Kubernetes engine would use an annotation.
            var labels = new Dictionary<string, string>(storage.Labels) { [LabLabels.StoragePath] = storage.Path };
            try
            {
                await api.PostJsonAsync("volumes/create", new Dictionary<string, object>
                {
                    ["Name"] = storage.ClaimName,
                    ["Labels"] = labels,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Another session of the same learner and lab made it first.
            }
        }
    }
}
