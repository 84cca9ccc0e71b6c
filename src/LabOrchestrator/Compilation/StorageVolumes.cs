using k8s.Models;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// Compiles a node's <c>storage</c> into persistentVolumeClaim volumes of its pod: engine-neutral (Kubernetes binds the
/// claims, Podman's kube play mounts the named volume of each claim name).
/// </summary>
internal static class StorageVolumes
{
    public static IReadOnlyList<PlannedStorage> Add(V1Pod pod, LabDefinition lab, NodeDefinition node, SessionContext session)
    {
        if (node.Storage.Count == 0)
        {
            return [];
        }

        var planned = new List<PlannedStorage>();
        var container = pod.Spec.Containers[0];
        container.VolumeMounts ??= [];
        pod.Spec.Volumes ??= [];
        for (var i = 0; i < node.Storage.Count; i++)
        {
            var path = node.Storage[i].Path;
            var claim = PersistentNames.StorageClaim(session.UserId, lab.Name, node.Name, path);
            // No session label: stopping the session, and the clean-up of what no session owns, must leave it alone.
            var labels = new Dictionary<string, string>
            {
                [LabLabels.Persistent] = LabLabels.PersistentStorage,
                [LabLabels.User] = PersistentNames.UserLabel(session.UserId),
                [LabLabels.Lab] = lab.Name,
                [LabLabels.Node] = node.Name,
                [LabLabels.Volume] = claim,
                [LabLabels.ManagedBy] = LabLabels.ManagedByValue,
            };
            var volume = $"storage-{i}";
            pod.Spec.Volumes.Add(new V1Volume { Name = volume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } });
            container.VolumeMounts.Add(new V1VolumeMount { Name = volume, MountPath = path });
            planned.Add(new PlannedStorage(claim, path, labels));
        }

        return planned;
    }
}
