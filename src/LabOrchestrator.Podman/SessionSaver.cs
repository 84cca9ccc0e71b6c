using System.Text;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Saves a running session: commits each node's container (its files; volumes are not part of it, per-learner storage is
/// kept anyway) to a local image labelled with the save, so that a later session runs those images instead of the lab's.
/// Memory is not kept: CRIU checkpoints fail on this engine's hosts (see docs/lifecycle-persist.md).
/// </summary>
internal sealed class SessionSaver(PodmanApiClient api, ILogger logger, TimeProvider time)
{
    /// <summary>The repository of every saved image; the tag names the save and the node.</summary>
    public const string Repository = "localhost/lab-saved";

    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(string sessionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var saveId = labels.TryGetValue(LabLabels.Saved, out var id) && IsTagSafe(id)
            ? id
            : throw new ArgumentException($"The labels must name the save ({LabLabels.Saved}) with letters, digits, '-' or '_'.", nameof(labels));
        var pods = (await new SessionInventory(api, logger).ListAsync(new Dictionary<string, string> { [LabLabels.Session] = sessionId }, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Kind == "pod")
            .ToList();
        if (pods.Count == 0)
        {
            throw new EngineException($"Session '{sessionId}' runs no nodes to save.");
        }

        if (pods.FirstOrDefault(p => p.Labels.GetValueOrDefault(LabLabels.NodeKind) == LabLabels.NodeKindVm) is { } vm)
        {
            throw new EngineException(
                $"Node '{vm.Labels.GetValueOrDefault(LabLabels.Node)}' is a virtual machine; the Podman engine cannot save virtual machines yet (their disk changes live in a temporary overlay that the launcher makes anew on every start).");
        }

        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var pod in pods)
            {
                var node = pod.Labels[LabLabels.Node];
                var started = time.GetTimestamp();
                var tag = $"{saveId}-{node}";
                var query = new StringBuilder("commit?container=").Append(Uri.EscapeDataString(PodmanNames.NodeContainer(sessionId, node)))
                    .Append("&repo=").Append(Uri.EscapeDataString(Repository))
                    .Append("&tag=").Append(Uri.EscapeDataString(tag))
                    // Paused while its files are read, so the image is one consistent moment of the node.
                    .Append("&pause=true");
                foreach (var (key, value) in new Dictionary<string, string>(labels) { [LabLabels.Node] = node })
                {
                    query.Append("&changes=").Append(Uri.EscapeDataString($"LABEL {key}={value}"));
                }

                await api.PostJsonAsync(query.ToString(), null, cancellationToken).ConfigureAwait(false);
                images[node] = $"{Repository}:{tag}";
                PersistLog.NodeSaved(logger, node, sessionId, images[node], time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch
        {
            // Half a save is no save: nothing of it may stay behind.
            await new PersistentObjects(api, logger).DeleteAsync(new Dictionary<string, string> { [LabLabels.Saved] = saveId }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return images;
    }

    private static bool IsTagSafe(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
