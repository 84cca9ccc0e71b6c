using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Per-learner storage (a node's <c>storage</c> folders): each folder is a PersistentVolumeClaim in the session's
/// namespace, named as the plan's pod volume says. Once bound, its PersistentVolume gets the claim's labels and reclaim
/// policy Retain, so it outlives the namespace; the next session of the same learner and lab claims that same volume
/// again (its claimRef is pointed at the new claim, the claim names the volume). PersistentVolumes are the "volume"
/// objects <see cref="ListAsync"/> lists and <see cref="DeletePersistentAsync"/> deletes.
/// </summary>
internal sealed partial class KubernetesEngine
{
    private static readonly string StorageSelector = $"{LabLabels.Persistent}={LabLabels.PersistentStorage}";

    /// <summary>Makes every storage claim of the plan exist before its pod, bound to the learner's volume when there is one.</summary>
    private async Task EnsureStorageAsync(CompiledPlan plan, CancellationToken cancellationToken)
    {
        var ns = plan.Namespace.Metadata.Name;
        var existing = plan.Nodes.Any(n => n.Storage.Count > 0)
            ? (await KubernetesErrors.CallAsync($"list the storage claims of namespace {ns}",
                () => client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: StorageSelector, cancellationToken: cancellationToken)).ConfigureAwait(false))
                .Items.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var node in plan.Nodes)
        {
            foreach (var storage in node.Storage.Where(s => !existing.Contains(s.ClaimName)))
            {
                var claim = await ClaimAsync(ns, node.Name, storage, cancellationToken).ConfigureAwait(false);
                await KubernetesErrors.CallAsync($"apply PersistentVolumeClaim {ns}/{storage.ClaimName}",
                    () => client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(new V1Patch(claim, V1Patch.PatchType.ApplyPatch), storage.ClaimName, ns,
                        fieldManager: options.FieldManager, force: true, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A new claim, or one that names the learner's retained volume (whose claimRef is pointed at it first).</summary>
    private async Task<V1PersistentVolumeClaim> ClaimAsync(string ns, string node, PlannedStorage storage, CancellationToken cancellationToken)
    {
        var claim = new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta
            {
                Name = storage.ClaimName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string>(storage.Labels),
                Annotations = new Dictionary<string, string> { [LabLabels.StoragePath] = storage.Path },
            },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(options.StorageSize) } },
                StorageClassName = options.StorageClassName,
            },
        };
        var volumes = await StorageVolumesAsync($"{LabLabels.Volume}={storage.ClaimName}", cancellationToken).ConfigureAwait(false);
        if (volumes.FirstOrDefault() is not { } volume)
        {
            return claim;
        }

        var owner = volume.Spec.ClaimRef;
        if (owner is not null && owner.NamespaceProperty != ns && await ClaimExistsAsync(owner, cancellationToken).ConfigureAwait(false))
        {
            throw new EngineException(
                $"The stored data of node '{node}' ({storage.Path}) is in use by another session of this lab (namespace {owner.NamespaceProperty}); a volume can be used by one session at a time. Stop that session first.");
        }

        // Without the old claim's uid, the volume controller binds the volume to the claim it names, and only to it.
        // A JsonObject, so the nulls are written (a typed body would leave them out and keep the old uid).
        var rebind = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["claimRef"] = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "PersistentVolumeClaim",
                    ["namespace"] = ns,
                    ["name"] = storage.ClaimName,
                    ["uid"] = null,
                    ["resourceVersion"] = null,
                },
            },
        };
        await KubernetesErrors.CallAsync($"claim PersistentVolume {volume.Metadata.Name} for {ns}",
            () => client.CoreV1.PatchPersistentVolumeAsync(new V1Patch(rebind, V1Patch.PatchType.MergePatch), volume.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false);
        claim.Spec.VolumeName = volume.Metadata.Name;
        claim.Spec.StorageClassName = volume.Spec.StorageClassName ?? "";
        claim.Spec.AccessModes = volume.Spec.AccessModes ?? claim.Spec.AccessModes;
        if (volume.Spec.Capacity?.TryGetValue("storage", out var size) == true)
        {
            claim.Spec.Resources.Requests["storage"] = size;
        }

        LogStorageReclaimed(storage.ClaimName, volume.Metadata.Name, ns);
        return claim;
    }

    /// <summary>
    /// Gives every bound storage claim's volume the claim's labels and path, and reclaim policy Retain, so it outlives
    /// the namespace. Run once nodes run (their claims are bound by then) and again before a namespace is deleted.
    /// </summary>
    private async Task RetainStorageAsync(string ns, CancellationToken cancellationToken)
    {
        IList<V1PersistentVolumeClaim> claims;
        try
        {
            claims = (await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: StorageSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        }
        catch (HttpOperationException e)
        {
            throw KubernetesErrors.Translate($"list the storage claims of namespace {ns}", e);
        }

        foreach (var claim in claims.Where(c => c.Spec.VolumeName is { Length: > 0 } && c.Status?.Phase == "Bound"))
        {
            var volume = await KubernetesErrors.CallAsync($"read PersistentVolume {claim.Spec.VolumeName}",
                () => client.CoreV1.ReadPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var path = Get(claim.Metadata.Annotations, LabLabels.StoragePath);
            var labelled = claim.Metadata.Labels.All(l => Get(volume.Metadata.Labels, l.Key) == l.Value);
            if (labelled && volume.Spec.PersistentVolumeReclaimPolicy == "Retain" && Get(volume.Metadata.Annotations, LabLabels.StoragePath) == path)
            {
                continue;
            }

            var patch = new
            {
                metadata = new { labels = claim.Metadata.Labels, annotations = new Dictionary<string, string?> { [LabLabels.StoragePath] = path } },
                spec = new { persistentVolumeReclaimPolicy = "Retain" },
            };
            await KubernetesErrors.CallAsync($"retain PersistentVolume {volume.Metadata.Name}",
                () => client.CoreV1.PatchPersistentVolumeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), volume.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false);
            LogStorageRetained(volume.Metadata.Name, claim.Metadata.Name, ns);
        }
    }

    /// <summary>
    /// Deletes the learner's retained volumes that match: reclaim policy Delete first, so the storage provisioner deletes
    /// the disk with the PersistentVolume. A volume whose claim still exists (a session uses it) is refused, never forced.
    /// Saved sessions do not exist on this engine, so a selector of saves finds nothing.
    /// </summary>
    public async Task DeletePersistentAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labelSelector);
        var selector = string.Join(",", labelSelector.Select(l => $"{l.Key}={l.Value}"));
        var volumes = (await StorageVolumesAsync(selector, cancellationToken).ConfigureAwait(false))
            .Where(v => v.Metadata.Labels?.ContainsKey(LabLabels.Persistent) == true)
            .ToList();
        var inUse = new List<string>();
        foreach (var volume in volumes)
        {
            if (volume.Spec.ClaimRef is { } owner && await ClaimExistsAsync(owner, cancellationToken).ConfigureAwait(false))
            {
                inUse.Add($"volume {Get(volume.Metadata.Labels, LabLabels.Volume) ?? volume.Metadata.Name} (namespace {owner.NamespaceProperty})");
                continue;
            }

            var reclaim = new { spec = new { persistentVolumeReclaimPolicy = "Delete" } };
            await DeleteIgnoringMissingAsync($"delete PersistentVolume {volume.Metadata.Name}", async () =>
            {
                await client.CoreV1.PatchPersistentVolumeAsync(new V1Patch(reclaim, V1Patch.PatchType.MergePatch), volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                await client.CoreV1.DeletePersistentVolumeAsync(volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        LogPersistentDeleted(volumes.Count - inUse.Count, selector);
        if (inUse.Count > 0)
        {
            throw new EngineException($"Still in use by a running session: {string.Join(", ", inUse)}. Stop that session first.");
        }
    }

    private async Task<IList<V1PersistentVolume>> StorageVolumesAsync(string selector, CancellationToken cancellationToken) =>
        (await KubernetesErrors.CallAsync("list the per-learner PersistentVolumes",
            () => client.CoreV1.ListPersistentVolumeAsync(labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false)).Items;

    /// <summary>Whether the claim a volume names exists (its uid matching, when the volume records one): then a session uses it.</summary>
    private async Task<bool> ClaimExistsAsync(V1ObjectReference owner, CancellationToken cancellationToken)
    {
        try
        {
            var claim = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(owner.Name, owner.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            return claim.Metadata.DeletionTimestamp is null && (string.IsNullOrEmpty(owner.Uid) || owner.Uid == claim.Metadata.Uid);
        }
        catch (HttpOperationException e) when (KubernetesErrors.IsNotFound(e))
        {
            return false;
        }
        catch (HttpOperationException e)
        {
            throw KubernetesErrors.Translate($"read PersistentVolumeClaim {owner.NamespaceProperty}/{owner.Name}", e);
        }
    }

    private static string? Get(IDictionary<string, string>? values, string key) => values is not null && values.TryGetValue(key, out var value) ? value : null;

    private static EngineResource StorageResource(V1PersistentVolume volume)
    {
        var labels = new Dictionary<string, string>(volume.Metadata.Labels ?? new Dictionary<string, string>());
        // Kubernetes labels cannot hold a path; the annotation carries it, and the server reads it as a label.
        if (volume.Metadata.Annotations?.TryGetValue(LabLabels.StoragePath, out var path) == true)
        {
            labels[LabLabels.StoragePath] = path;
        }

        return new EngineResource("volume", labels.GetValueOrDefault(LabLabels.Volume, volume.Metadata.Name), labels);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage claim {Claim} in {Namespace} re-uses PersistentVolume {Volume}")]
    private partial void LogStorageReclaimed(string claim, string volume, string @namespace);

    [LoggerMessage(Level = LogLevel.Information, Message = "PersistentVolume {Volume} of claim {Claim} in {Namespace} kept after its session (reclaim policy Retain)")]
    private partial void LogStorageRetained(string volume, string claim, string @namespace);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} per-learner PersistentVolume(s) deleted ({Selector})")]
    private partial void LogPersistentDeleted(int count, string selector);
}
