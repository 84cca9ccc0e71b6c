using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// Plays the parts of a cluster that cannot run here (no kubelet, no KubeVirt controllers): writes the status a
/// kubelet would write on every Pod of a namespace, and for every VirtualMachine creates its VirtualMachineInstance and
/// writes its status as virt-controller and virt-handler would (owned by the VirtualMachine). A pod with storage claims
/// gets its status once they are bound. Pods and VMs are told apart by uid, so a node made anew (a reset) gets status
/// again. What status it writes is up to the test.
/// </summary>
internal sealed class FakeKubelet(IKubernetes admin)
{
    /// <summary>What a Pod's status becomes; by default Running and Ready.</summary>
    public Func<V1Pod, object> PodStatus { get; set; } = _ => Running();

    /// <summary>What a VirtualMachineInstance's status becomes; by default Running and Ready.</summary>
    public Func<string, object> VmiStatus { get; set; } = _ => new
    {
        phase = "Running",
        conditions = new[] { new { type = "Ready", status = "True" } },
    };

    public static object Running() => new
    {
        phase = "Running",
        conditions = new[]
        {
            new { type = "PodScheduled", status = "True", reason = (string?)null, message = (string?)null },
            new { type = "Ready", status = "True", reason = (string?)null, message = (string?)null },
        },
    };

    public static object Waiting(string reason, string message) => new
    {
        phase = "Pending",
        conditions = new[] { new { type = "PodScheduled", status = "True" } },
        containerStatuses = new[]
        {
            new { name = "node", image = "localhost/lab-base:latest", imageID = "", ready = false, restartCount = 0, state = new { waiting = new { reason, message } } },
        },
    };

    public static object Unschedulable() => new
    {
        phase = "Pending",
        conditions = new[] { new { type = "PodScheduled", status = "False", reason = "Unschedulable", message = "0/3 nodes are available: 3 Insufficient memory." } },
    };

    /// <summary>Gives every node of the namespace its status until cancelled; returns when cancelled.</summary>
    public async Task RunAsync(string ns, CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var bound = (await admin.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, cancellationToken: cancellationToken)).Items
                    .Where(c => c.Status?.Phase == "Bound").Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var pod in (await admin.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken)).Items)
                {
                    // A kubelet starts a pod only once its volumes can be mounted, i.e. its claims are bound.
                    var claims = pod.Spec.Volumes?.Where(v => v.PersistentVolumeClaim is not null).Select(v => v.PersistentVolumeClaim.ClaimName) ?? [];
                    if (claims.All(bound.Contains) && done.Add("pod/" + pod.Metadata.Uid))
                    {
                        var patch = new V1Patch(new { status = PodStatus(pod) }, V1Patch.PatchType.MergePatch);
                        await admin.CoreV1.PatchNamespacedPodStatusAsync(patch, pod.Metadata.Name, ns, cancellationToken: cancellationToken);
                    }
                }

                var vms = await admin.CustomObjects.ListNamespacedCustomObjectAsync("kubevirt.io", "v1", ns, "virtualmachines", cancellationToken: cancellationToken);
                foreach (var vm in (System.Text.Json.JsonSerializer.SerializeToNode(vms)?["items"] as JsonArray ?? []).OfType<JsonNode>())
                {
                    var name = vm["metadata"]!["name"]!.GetValue<string>();
                    var uid = vm["metadata"]!["uid"]!.GetValue<string>();
                    if (vm["metadata"]!["deletionTimestamp"] is null && done.Add("vm/" + uid))
                    {
                        // Owned by its VirtualMachine, as KubeVirt's are: deleting the VM deletes it.
                        var owner = new JsonObject { ["apiVersion"] = "kubevirt.io/v1", ["kind"] = "VirtualMachine", ["name"] = name, ["uid"] = uid, ["controller"] = true };
                        var vmi = new JsonObject
                        {
                            ["apiVersion"] = "kubevirt.io/v1",
                            ["kind"] = "VirtualMachineInstance",
                            ["metadata"] = new JsonObject
                            {
                                ["name"] = name,
                                ["labels"] = vm["spec"]!["template"]!["metadata"]!["labels"]!.DeepClone(),
                                ["ownerReferences"] = new JsonArray(owner),
                            },
                            ["spec"] = vm["spec"]!["template"]!["spec"]!.DeepClone(),
                        };
                        try
                        {
                            await admin.CustomObjects.CreateNamespacedCustomObjectAsync(vmi, "kubevirt.io", "v1", ns, "virtualmachineinstances", cancellationToken: cancellationToken);
                        }
                        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                        {
                            // A VMI of that name exists: this VM's (made by an earlier FakeKubelet of the test), or a
                            // deleted VM's that is on its way out; then this VM gets its own on a later round.
                            JsonNode? existing = null;
                            try
                            {
                                existing = System.Text.Json.JsonSerializer.SerializeToNode(
                                    await admin.CustomObjects.GetNamespacedCustomObjectAsync("kubevirt.io", "v1", ns, "virtualmachineinstances", name, cancellationToken));
                            }
                            catch (k8s.Autorest.HttpOperationException gone) when (gone.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                            {
                                // Deleted meanwhile: try again on the next round.
                            }

                            if (existing?["metadata"]?["ownerReferences"]?[0]?["uid"]?.GetValue<string>() != uid)
                            {
                                done.Remove("vm/" + uid);
                            }

                            continue;
                        }

                        var patch = new V1Patch(new { status = VmiStatus(name) }, V1Patch.PatchType.MergePatch);
                        await admin.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, "kubevirt.io", "v1", ns, "virtualmachineinstances", name, cancellationToken: cancellationToken);
                    }
                }

                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The namespace is not there yet.
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>The node label of a pod (the node it runs).</summary>
    public static string NodeOf(V1Pod pod) => pod.Metadata.Labels[LabLabels.Node];
}
