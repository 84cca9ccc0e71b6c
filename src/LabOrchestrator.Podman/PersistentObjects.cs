using System.Net;
using System.Text.Json;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Removes objects that outlive sessions (per-learner storage volumes, saved sessions' images) by their labels. Only
/// objects labelled <see cref="LabLabels.Persistent"/> are touched, whatever the selector says; objects a container still
/// uses are refused, never forced.
/// </summary>
internal sealed class PersistentObjects(PodmanApiClient api, ILogger logger)
{
    public async Task DeleteAsync(IReadOnlyDictionary<string, string> selector, CancellationToken cancellationToken)
    {
        var volumes = (await new SessionInventory(api, logger).ListAsync(selector, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Kind == "volume" && r.Labels.ContainsKey(LabLabels.Persistent))
            .ToList();
        var images = await ImagesAsync(selector, cancellationToken).ConfigureAwait(false);
        var inUse = new List<string>();
        foreach (var volume in volumes)
        {
            try
            {
                await api.DeleteAsync($"volumes/{Uri.EscapeDataString(volume.Name)}", cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                inUse.Add($"volume {volume.Name}");
            }
        }

        foreach (var image in images)
        {
            try
            {
                await api.DeleteAsync($"images/{Uri.EscapeDataString(image)}", cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                inUse.Add($"image {image}");
            }
        }

        PersistLog.PersistentDeleted(logger, volumes.Count, images.Count, string.Join(",", selector.Select(s => $"{s.Key}={s.Value}")));
        if (inUse.Count > 0)
        {
            throw new EngineException($"Still in use by a running session: {string.Join(", ", inUse)}. Stop that session first.");
        }
    }

    /// <summary>Ids of the persistent images whose labels match all of the selector.</summary>
    private async Task<List<string>> ImagesAsync(IReadOnlyDictionary<string, string> selector, CancellationToken cancellationToken)
    {
        var found = await api.GetAsync($"images/json?all=true&filters={PodmanApiClient.Filters(selector)}", cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        if (found is not { ValueKind: JsonValueKind.Array } items)
        {
            return ids;
        }

        foreach (var item in items.EnumerateArray())
        {
            var labels = item.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object
                ? l.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
                : [];
            // Podman's label filters have differed between versions (any vs. all); the contract is "all".
            if (labels.ContainsKey(LabLabels.Persistent) && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value))
            {
                ids.Add(item.GetProperty("Id").GetString()!);
            }
        }

        return ids;
    }
}
