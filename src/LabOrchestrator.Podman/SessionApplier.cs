using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>Makes one session's networks and pods exist and run; anything already there is kept.</summary>
internal sealed class SessionApplier(PodmanApiClient api, PodmanService service, PodmanEngineOptions options, ILogger logger, TimeProvider time)
{
    /// <summary>Comes before a stopped node's own log lines in its failure message.</summary>
    public const string LogLinesMarker = "Last log lines:";

    public async Task ApplyAsync(CompiledPlan plan, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var subnets = new Dictionary<string, (string Subnet, string Gateway)>();
        var wanted = plan.Networks.Select(n => n.Name).ToList();
        if (plan.Nodes.Any(n => n.Networks.Count == 0) && !wanted.Contains(PodmanNames.DefaultNetwork))
        {
            wanted.Add(PodmanNames.DefaultNetwork);
        }

        foreach (var network in wanted)
        {
            using var span = SessionTracing.Begin("podman.network", plan.SessionId);
            subnets[network] = await EnsureNetworkAsync(plan, network, cancellationToken).ConfigureAwait(false);
        }

        var addresses = new List<NodeAddress>();
        for (var index = 0; index < plan.Nodes.Count; index++)
        {
            var node = plan.Nodes[index];
            foreach (var network in NetworksOf(node))
            {
                var (subnet, gateway) = subnets[network];
                addresses.Add(new NodeAddress(node.Name, network, StaticAddressing.AddressFor(subnet, gateway, index)));
            }
        }

        var bridges = wanted.Select(n => PodmanNames.Bridge(plan.SessionId, n, plan.Egress)).ToList();
        var hardening = new Lock();
        // Every node is played and waited for at once: a lab starts in the time of its slowest node, not the sum.
        await Task.WhenAll(plan.Nodes.Select(node => Task.Run(async () =>
        {
            progress?.Report(new NodeStatus(node.Name, NodeState.Creating));
            try
            {
                using (SessionTracing.Begin("podman.play", plan.SessionId, node.Name))
                {
                    await EnsurePodAsync(plan, node, addresses, cancellationToken).ConfigureAwait(false);
                }

                // netavark makes a bridge with the first pod on it, and may change its settings with every pod it adds.
                lock (hardening)
                {
                    BridgeSettings.Harden(bridges, logger);
                }
            }
            catch (Exception e) when (e is PodmanApiException or EngineException)
            {
                var message = $"Node '{node.Name}' could not be created: {e.Message}";
                Fail(plan, node.Name, message, progress);
                throw new EngineException(message, e);
            }

            progress?.Report(new NodeStatus(node.Name, NodeState.Starting));
            using var waitSpan = SessionTracing.Begin("podman.wait_ready", plan.SessionId, node.Name);
            await WaitRunningAsync(plan, node.Name, started, progress, cancellationToken).ConfigureAwait(false);
        }, cancellationToken))).ConfigureAwait(false);
        PodmanLog.SessionRunning(logger, plan.SessionId, plan.Nodes.Count, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static IReadOnlyList<string> NetworksOf(PlannedNode node) =>
        node.Networks.Count == 0 ? [PodmanNames.DefaultNetwork] : node.Networks;

    private async Task<(string Subnet, string Gateway)> EnsureNetworkAsync(CompiledPlan plan, string network, CancellationToken cancellationToken)
    {
        var name = PodmanNames.Network(plan.SessionId, network);
        var existing = await api.GetAsync($"networks/{Uri.EscapeDataString(name)}/json", cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var labels = new Dictionary<string, string>(plan.Labels) { [LabLabels.Network] = network };
            try
            {
                existing = await api.PostJsonAsync("networks/create", new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["driver"] = "bridge",
                    // The name tells the engine's firewall whether the session may reach the internet (SessionFirewallRules).
                    ["network_interface"] = PodmanNames.Bridge(plan.SessionId, network, plan.Egress),
                    ["labels"] = labels,
                    // Blocks traffic between this bridge and every other isolated one: other sessions, other lab networks.
                    ["options"] = new Dictionary<string, string> { ["isolate"] = "true" },
                    ["dns_enabled"] = true,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // A concurrent apply of the same session made it first.
                existing = await api.GetAsync($"networks/{Uri.EscapeDataString(name)}/json", cancellationToken).ConfigureAwait(false);
            }

            var created = existing!.Value.GetProperty("subnets")[0];
            PodmanLog.NetworkCreated(logger, name, created.GetProperty("subnet").GetString()!, plan.SessionId);
        }

        var first = existing!.Value.GetProperty("subnets")[0];
        return (first.GetProperty("subnet").GetString()!, first.GetProperty("gateway").GetString()!);
    }

    private async Task EnsurePodAsync(CompiledPlan plan, PlannedNode node, IReadOnlyList<NodeAddress> addresses, CancellationToken cancellationToken)
    {
        var name = PodmanNames.Pod(plan.SessionId, node.Name);
        var pod = await api.GetAsync($"pods/{Uri.EscapeDataString(name)}/json", cancellationToken).ConfigureAwait(false);
        if (pod is { } existing)
        {
            if (existing.GetProperty("State").GetString() is not ("Running" or "Degraded"))
            {
                // A pod cgroup made again (after the host restarted) starts without the limit.
                await PodPidsLimit.ApplyAsync(api, name, options.PidsLimit, cancellationToken).ConfigureAwait(false);
                await api.PostJsonAsync($"pods/{Uri.EscapeDataString(name)}/start", null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await StorageVolumes.EnsureAsync(api, node, cancellationToken).ConfigureAwait(false);
        var adapted = PodAdapter.Adapt(plan, node, addresses, options, service);
        if (node.Kind == NodeKind.Vm)
        {
            await VmNodePods.EnsureDiskVolumeAsync(api, plan, node, cancellationToken).ConfigureAwait(false);
            VmNodePods.Adapt(adapted, plan, node, options);
        }
        else
        {
            DesktopSockets.Adapt(adapted, options, plan.SessionId, node.Name);
        }

        var yaml = KubernetesYaml.Serialize(adapted);
        // Created stopped: the process limit goes on the pod's cgroup before anything in it runs.
        var query = new StringBuilder("play/kube?start=false");
        foreach (var address in addresses.Where(a => a.Node == node.Name))
        {
            query.Append("&network=").Append(Uri.EscapeDataString($"{PodmanNames.Network(plan.SessionId, address.Network)}:ip={address.Ip}"));
        }

        var report = await api.PostYamlAsync(query.ToString(), yaml, cancellationToken).ConfigureAwait(false);
        if (report.ValueKind == JsonValueKind.Object && report.TryGetProperty("Pods", out var pods))
        {
            foreach (var played in pods.EnumerateArray())
            {
                if (played.TryGetProperty("ContainerErrors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                {
                    throw new EngineException(string.Join("; ", errors.EnumerateArray().Select(e => e.GetString())));
                }
            }
        }

        await PodPidsLimit.ApplyAsync(api, name, options.PidsLimit, cancellationToken).ConfigureAwait(false);
        await api.PostJsonAsync($"pods/{Uri.EscapeDataString(name)}/start", null, cancellationToken).ConfigureAwait(false);
        PodmanLog.PodPlayed(logger, name, node.Name, plan.SessionId);
    }

    private async Task WaitRunningAsync(CompiledPlan plan, string node, long started, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        var container = PodmanNames.NodeContainer(plan.SessionId, node);
        var delay = TimeSpan.FromMilliseconds(100);
        string? notReady = null;
        while (true)
        {
            var inspect = await api.GetAsync($"containers/{Uri.EscapeDataString(container)}/json", cancellationToken).ConfigureAwait(false);
            if (inspect is { } info)
            {
                var state = info.GetProperty("State");
                var status = state.GetProperty("Status").GetString();
                var restarts = info.TryGetProperty("RestartCount", out var count) ? count.GetInt32() : 0;
                if (restarts > 0 || status is "exited" or "stopped" or "dead")
                {
                    var logs = await LogTailAsync(container, cancellationToken).ConfigureAwait(false);
                    var message = $"Node '{node}' stopped (status {status}, exit code {state.GetProperty("ExitCode").GetInt32()}, restarts {restarts}). {LogLinesMarker}{Environment.NewLine}{logs}";
                    Fail(plan, node, message, progress, $"status {status}, restarts {restarts}");
                    throw new EngineException(message);
                }

                if (status == "running")
                {
                    using (SessionTracing.Begin("podman.readiness_exec", plan.SessionId, node))
                    {
                        notReady = await NotReadyAsync(plan.SessionId, node, cancellationToken).ConfigureAwait(false);
                    }

                    if (notReady is null)
                    {
                        progress?.Report(new NodeStatus(node, NodeState.Running));
                        return;
                    }
                }
            }

            if (time.GetElapsedTime(started) > options.StartTimeout)
            {
                var message = notReady is null
                    ? $"Node '{node}' did not run within {options.StartTimeout.TotalSeconds:0} s."
                    : $"Node '{node}' runs but was not ready within {options.StartTimeout.TotalSeconds:0} s (its image's {NodeReadiness.ImageCommand} did not pass: {notReady}).";
                Fail(plan, node, message, progress);
                throw new EngineException(message);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    /// <summary>
    /// Null once the node's readiness command passes (<see cref="NodeReadiness"/>): the image has finished setting the node
    /// up. Otherwise what it said. An image without a shell cannot be asked and counts as ready once it runs.
    /// </summary>
    private async Task<string?> NotReadyAsync(string sessionId, string node, CancellationToken cancellationToken)
    {
        var result = await new PodmanExecRunner(api, logger, time)
            .RunAsync(sessionId, node, NodeReadiness.Command, ReadinessTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0 || (result.ExitCode is 126 or 127 && !result.TimedOut && result.StandardOutput.Length == 0 && IsMissingShell(result.StandardError)))
        {
            return null;
        }

        var said = (result.StandardError + result.StandardOutput).Trim();
        return said.Length == 0 ? $"exit code {result.ExitCode}" : $"exit code {result.ExitCode}: {said}";
    }

    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(10);

    private static bool IsMissingShell(string stderr) =>
        stderr.Contains("executable file not found", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase);

    private async Task<string> LogTailAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await api.GetBytesAsync($"containers/{Uri.EscapeDataString(container)}/logs?stdout=true&stderr=true&tail={options.FailureLogLines}", cancellationToken).ConfigureAwait(false);
            if (!StreamDemultiplexer.LooksFramed(bytes))
            {
                return Encoding.UTF8.GetString(bytes).TrimEnd();
            }

            using var source = new MemoryStream(bytes);
            using var text = new MemoryStream();
            await StreamDemultiplexer.CopyAsync(source, text, text, cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(text.ToArray()).TrimEnd();
        }
        catch (PodmanApiException e)
        {
            return $"(logs unavailable: {e.Message})";
        }
    }

    // logReason replaces the message in the log when the message holds the node's own output, which may hold secrets.
    private void Fail(CompiledPlan plan, string node, string message, IProgress<NodeStatus>? progress, string? logReason = null)
    {
        PodmanLog.NodeFailed(logger, node, plan.SessionId, logReason ?? message);
        progress?.Report(new NodeStatus(node, NodeState.Failed, message));
    }
}
