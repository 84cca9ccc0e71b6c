using System.Text.Json.Nodes;
using k8s.Models;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Reads a node's state from what the cluster reports: a container node's Pod, a VM node's VirtualMachine and
/// VirtualMachineInstance. Messages are plain sentences a learner may read; the cluster's own words stay in
/// <see cref="NodeObservation.Detail"/> for instructors, admins and the log.
/// </summary>
internal static class NodeStatusMapper
{
    private static readonly HashSet<string> ImageFailures = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "ImageInspectError", "RegistryUnavailable",
    };

    private static readonly HashSet<string> CrashFailures = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    /// <summary>A container node from its Pod; null Pod: the node does not exist (yet).</summary>
    public static NodeObservation FromPod(string node, V1Pod? pod)
    {
        if (pod is null)
        {
            return new NodeObservation(new NodeStatus(node, NodeState.Missing, "This machine does not exist."), null);
        }

        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            return new NodeObservation(new NodeStatus(node, NodeState.Stopped, "This machine is being removed."), null);
        }

        var status = pod.Status;
        var containers = status?.ContainerStatuses ?? [];
        foreach (var container in containers)
        {
            var waiting = container.State?.Waiting;
            if (waiting?.Reason is { } reason && ImageFailures.Contains(reason))
            {
                var image = container.Image ?? pod.Spec?.Containers?.FirstOrDefault()?.Image ?? "its image";
                return Failed(node, $"This machine cannot start: its image {image} cannot be pulled.", $"{reason}: {waiting.Message}");
            }

            if (waiting?.Reason is { } crash && CrashFailures.Contains(crash))
            {
                return Failed(node, "This machine keeps stopping right after it starts.", $"{crash}: {waiting.Message}");
            }
        }

        switch (status?.Phase)
        {
            case "Failed":
                return Failed(node, "This machine stopped with an error.", $"{status.Reason}: {status.Message}");
            case "Succeeded":
                return new NodeObservation(new NodeStatus(node, NodeState.Stopped, "This machine has shut down."), null);
            case "Running" when IsTrue(status.Conditions, "Ready"):
                return new NodeObservation(new NodeStatus(node, NodeState.Running), null);
            case "Running":
                return new NodeObservation(new NodeStatus(node, NodeState.Starting, "This machine is getting ready."), null);
        }

        var scheduled = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False", Reason: "Unschedulable" })
        {
            return new NodeObservation(
                new NodeStatus(node, NodeState.Pending, "Waiting for room in the cluster: no server has enough free CPU or memory for this machine yet."),
                scheduled.Message);
        }

        return scheduled?.Status == "True"
            ? new NodeObservation(new NodeStatus(node, NodeState.Creating, "This machine is being created."), null)
            : new NodeObservation(new NodeStatus(node, NodeState.Pending, "Waiting for the cluster to place this machine."), null);
    }

    /// <summary>A VM node from its VirtualMachine and VirtualMachineInstance (either may be null).</summary>
    public static NodeObservation FromVirtualMachine(string node, JsonNode? vm, JsonNode? vmi)
    {
        if (vm is null)
        {
            return new NodeObservation(new NodeStatus(node, NodeState.Missing, "This machine does not exist."), null);
        }

        var printable = vm["status"]?["printableStatus"]?.GetValue<string>();
        switch (printable)
        {
            case "ErrImagePull" or "ImagePullBackOff":
                return Failed(node, "This virtual machine cannot start: its disk image cannot be pulled.", printable);
            case "CrashLoopBackOff" or "ErrorUnschedulable" or "ErrorDataVolumeNotFound" or "ErrorPvcNotFound":
                return Failed(node, "This virtual machine cannot start.", printable);
        }

        var phase = vmi?["status"]?["phase"]?.GetValue<string>();
        var ready = vmi?["status"]?["conditions"] is JsonArray conditions
            && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
        if (phase == "Running" && KubernetesEngine.IsPaused(vmi))
        {
            // As on Podman, where a paused pod reads as stopped: the guest is frozen with its memory, no CPU used.
            return new NodeObservation(new NodeStatus(node, NodeState.Stopped, "This virtual machine is paused."), null);
        }

        return phase switch
        {
            "Running" when ready => new NodeObservation(new NodeStatus(node, NodeState.Running), null),
            "Running" => new NodeObservation(new NodeStatus(node, NodeState.Starting, "This virtual machine is booting."), null),
            "Failed" => Failed(node, "This virtual machine stopped with an error.", vmi?["status"]?["reason"]?.GetValue<string>()),
            "Succeeded" => new NodeObservation(new NodeStatus(node, NodeState.Stopped, "This virtual machine has shut down."), null),
            "Scheduling" or "Scheduled" => new NodeObservation(new NodeStatus(node, NodeState.Creating, "This virtual machine is being created."), null),
            _ => new NodeObservation(new NodeStatus(node, NodeState.Pending, "Waiting for the cluster to place this virtual machine."), null),
        };
    }

    private static NodeObservation Failed(string node, string message, string? detail) =>
        new(new NodeStatus(node, NodeState.Failed, message), detail);

    private static bool IsTrue(IList<V1PodCondition>? conditions, string type) =>
        conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}
