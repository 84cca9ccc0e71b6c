using System.Net;
using System.Net.Sockets;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman;

/// <summary>Runs sessions on one machine through the Podman REST API: one pod per node, one network per lab network.</summary>
internal sealed class PodmanEngine(IOptions<PodmanEngineOptions> options, ILogger<PodmanEngine> logger, TimeProvider time) : ILabEngine, IDisposable
{
    private readonly PodmanEngineOptions settings = options.Value;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly SessionFirewall firewall = new(logger);
    private PodmanApiClient? api;
    private PodmanService? service;

    public const string EngineName = "podman";

    public string Name => EngineName;

    public Task ApplyAsync(CompiledPlan plan, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return UseAsync(async (client, service) =>
        {
            // Before any network exists, so no node of this session ever runs unisolated.
            using (SessionTracing.Begin("podman.firewall", plan.SessionId))
            {
                await firewall.EnsureAsync(cancellationToken).ConfigureAwait(false);
            }

            await new SessionApplier(client, service, settings, logger, time).ApplyAsync(plan, progress, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        await UseAsync(client => new SessionInventory(client, logger).DeleteAsync(sessionId, cancellationToken), cancellationToken).ConfigureAwait(false);
        DesktopSockets.Delete(settings, sessionId);
    }

    public Task<IReadOnlyList<NodeStatus>> GetStatusAsync(string sessionId, CancellationToken cancellationToken) =>
        UseAsync(client => new SessionInventory(client, logger).GetStatusAsync(sessionId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EngineResource>> ListAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labelSelector);
        return UseAsync(client => new SessionInventory(client, logger).ListAsync(labelSelector, cancellationToken), cancellationToken);
    }

    /// <summary>The command, on the node's PATH, that connects its stdin/stdout to the node's VNC server.</summary>
    public const string DesktopConnector = "lab-vnc-connect";

    public Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return UseAsync(async client =>
        {
            // In a VM node the command runs in the guest (through vm-exec), not in its launcher container.
            var run = await VmExec.CommandForAsync(client, sessionId, node, command, timeout, cancellationToken).ConfigureAwait(false);
            return await new PodmanExecRunner(client, logger, time).RunAsync(sessionId, node, run, timeout, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return UseAsync(client => new PodmanExecRunner(client, logger, time).OpenTerminalAsync(sessionId, node, options, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The desktop's RFB stream. Container desktops' VNC socket lives in a host folder only root may enter, which the
    /// engine connects to directly; otherwise (VM nodes) through <c>lab-vnc-connect</c>, which desktop images and the VM
    /// launcher provide, run by exec. Either way nothing on the network reaches a desktop.
    /// </summary>
    public async Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken) =>
        // The socket folder on the host when the node has one (container desktops); else the exec (VM nodes).
        await DesktopSockets.TryConnectAsync(settings, sessionId, node, cancellationToken).ConfigureAwait(false)
        ?? await UseAsync(client => new PodmanExecRunner(client, logger, time).OpenStreamAsync(sessionId, node, [DesktopConnector], cancellationToken), cancellationToken).ConfigureAwait(false);

    /// <summary>Where this host reaches the node's port (the node's bridge address, or a loopback binding when rootless); null if not offered.</summary>
    public Task<IPEndPoint?> FindPortEndpointAsync(string sessionId, string node, int port, CancellationToken cancellationToken) =>
        UseAsync(client => PublishedPorts.FindAsync(client, PodmanNames.NodeContainer(sessionId, node), port, cancellationToken), cancellationToken);

    public async Task<Stream?> OpenPortStreamAsync(string sessionId, string node, int port, CancellationToken cancellationToken)
    {
        if (await FindPortEndpointAsync(sessionId, node, port, cancellationToken).ConfigureAwait(false) is not { } endpoint)
        {
            return null;
        }

        var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            socket.Dispose();
            throw new EngineException($"Node '{node}' of session '{sessionId}' did not accept a connection on port {port}: {e.SocketErrorCode}.", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Podman freezes any pod (the cgroup freezer), containers and VM launchers alike.</summary>
    public string? PauseRefusal(Labs.LabDefinition lab) => null;

    public Task PauseAsync(string sessionId, CancellationToken cancellationToken) =>
        UseAsync(client => new SessionPauser(client, logger).PauseAsync(sessionId, cancellationToken), cancellationToken);

    public Task ResumeAsync(string sessionId, CancellationToken cancellationToken) =>
        UseAsync(client => new SessionPauser(client, logger).ResumeAsync(sessionId, cancellationToken), cancellationToken);

    public Task ResetNodeAsync(CompiledPlan plan, string node, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return UseAsync(async (client, service) =>
        {
            await firewall.EnsureAsync(cancellationToken).ConfigureAwait(false);
            await new NodeResetter(client, service, settings, logger, time).ResetAsync(plan, node, progress, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> SaveAsync(string sessionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        UseAsync(client => new SessionSaver(client, logger, time).SaveAsync(sessionId, labels, cancellationToken), cancellationToken);

    public Task DeletePersistentAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken) =>
        UseAsync(client => new PersistentObjects(client, logger).DeleteAsync(labelSelector, cancellationToken), cancellationToken);

    public Task<bool?> ImageExistsAsync(string image, CancellationToken cancellationToken) =>
        UseAsync<bool?>(async client => await client.ExistsAsync($"images/{Uri.EscapeDataString(image)}/exists", cancellationToken).ConfigureAwait(false), cancellationToken);

    public void Dispose()
    {
        api?.Dispose();
        connecting.Dispose();
    }

    private async Task UseAsync(Func<PodmanApiClient, Task> action, CancellationToken cancellationToken) =>
        await UseAsync((client, _) => action(client), cancellationToken).ConfigureAwait(false);

    private async Task UseAsync(Func<PodmanApiClient, PodmanService, Task> action, CancellationToken cancellationToken) =>
        await UseAsync(async (client, service) =>
        {
            await action(client, service).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    private Task<T> UseAsync<T>(Func<PodmanApiClient, Task<T>> action, CancellationToken cancellationToken) =>
        UseAsync((client, _) => action(client), cancellationToken);

    /// <summary>Connects on first use, and turns Podman's errors into messages for the user.</summary>
    private async Task<T> UseAsync<T>(Func<PodmanApiClient, PodmanService, Task<T>> action, CancellationToken cancellationToken)
    {
        var (client, service) = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(client, service).ConfigureAwait(false);
        }
        catch (PodmanApiException e)
        {
            var message = $"Podman: {e.Message}";
            throw new EngineException(message, e) { HostFix = PodmanHostErrors.FixFor(message) };
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            // The service went away (killed, machine restarted): find or start one again next time.
            Interlocked.Exchange(ref api, null)?.Dispose();
            var message = $"Lost the Podman service on '{client.SocketPath}': {e.Message}";
            throw new EngineException(message, e) { HostFix = PodmanHostErrors.FixFor(message) };
        }
        catch (EngineException e) when (e.HostFix is null && PodmanHostErrors.FixFor(e.Message) is { } fix)
        {
            throw new EngineException(e.Message, e) { HostFix = fix };
        }
    }

    private async Task<(PodmanApiClient, PodmanService)> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e) when (e.HostFix is null)
        {
            // No service at all is always the host's problem.
            throw new EngineException(e.Message, e) { HostFix = PodmanHostErrors.FixFor(e.Message) ?? "labctl doctor checks the host and names the fix" };
        }
    }

    private async Task<(PodmanApiClient, PodmanService)> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        if (api is { } ready && service is { } known)
        {
            return (ready, known);
        }

        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (api is null || service is null)
            {
                service = await new PodmanServiceLauncher(settings, logger, time).EnsureAsync(cancellationToken).ConfigureAwait(false);
                api = new PodmanApiClient(service.SocketPath);
            }

            return (api, service);
        }
        finally
        {
            connecting.Release();
        }
    }
}
