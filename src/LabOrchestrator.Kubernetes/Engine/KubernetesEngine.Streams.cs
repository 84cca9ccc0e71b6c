using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Streams into nodes: commands and terminals through <c>pods/exec</c> (channel protocol v5, v4 as fallback), a VM
/// node's terminal and desktop through KubeVirt's <c>console</c> and <c>vnc</c> subresources (<c>plain.kubevirt.io</c>),
/// a container's desktop and web ports through <c>pods/portforward</c>.
/// </summary>
internal sealed partial class KubernetesEngine
{
    /// <summary>KubeVirt's raw byte protocol for console and VNC.</summary>
    public const string PlainKubeVirt = "plain.kubevirt.io";

    /// <summary>Where desktop images' VNC server listens inside the node (display :0).</summary>
    public const int VncPort = 5900;

    private static readonly string[] ChannelProtocols = [ChannelConnection.V5, ChannelConnection.V4];

    // A login shell in the user's home folder, as on Podman; as another user through runuser (exec runs as the image's user).
    private const string LoginShell =
        "h=$(getent passwd \"$(id -u)\" 2>/dev/null | cut -d: -f6); if [ -n \"$h\" ] && [ -d \"$h\" ]; then export HOME=\"$h\"; cd \"$h\"; fi; "
        + "if [ -x /bin/bash ]; then exec /bin/bash -l; else exec /bin/sh -l; fi";

    private const string LoginAs = "exec runuser -l \"$1\" 2>/dev/null || exec su -l \"$1\"";

    public async Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var ns = LabCompiler.NamespaceFor(sessionId);
        await EnsureContainerNodeAsync(ns, node, "run a command in", cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await using var connection = new ChannelConnection(
            await sockets.ConnectAsync(ExecPath(ns, node, command, stdin: false, tty: false), ChannelProtocols, cancellationToken).ConfigureAwait(false));
        var stdout = ReadAllAsync(connection.Output);
        var stderr = ReadAllAsync(connection.ErrorOutput);
        try
        {
            var status = await connection.StatusAsync(deadline.Token).ConfigureAwait(false);
            return new ExecResult(ExitCode(status, node), await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Closing the connection ends the command (the kubelet kills an exec whose stream is gone).
            return new ExecResult(-1, "", "", TimedOut: true);
        }
    }

    public async Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ns = LabCompiler.NamespaceFor(sessionId);
        if (await IsVmAsync(ns, node, cancellationToken).ConfigureAwait(false))
        {
            var console = await sockets.ConnectAsync(KubeVirtPath(ns, node, "console"), [PlainKubeVirt], cancellationToken).ConfigureAwait(false);
            return new PlainTerminal(WebSocketStream.Create(console, WebSocketMessageType.Binary, ownsWebSocket: true));
        }

        IReadOnlyList<string> command = options.Command.Count > 0 ? options.Command
            : options.User is { } user ? ["/bin/sh", "-c", LoginAs, "sh", user]
            : ["/bin/sh", "-c", LoginShell];
        var connection = new ChannelConnection(
            await sockets.ConnectAsync(ExecPath(ns, node, command, stdin: true, tty: true), ChannelProtocols, cancellationToken).ConfigureAwait(false));
        var terminal = new ChannelTerminal(connection);
        await terminal.ResizeAsync(options.Columns, options.Rows, cancellationToken).ConfigureAwait(false);
        return terminal;
    }

    public async Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken)
    {
        var ns = LabCompiler.NamespaceFor(sessionId);
        if (await IsVmAsync(ns, node, cancellationToken).ConfigureAwait(false))
        {
            var vnc = await sockets.ConnectAsync(KubeVirtPath(ns, node, "vnc"), [PlainKubeVirt], cancellationToken).ConfigureAwait(false);
            return WebSocketStream.Create(vnc, WebSocketMessageType.Binary, ownsWebSocket: true);
        }

        return await ForwardPortAsync(sessionId, node, VncPort, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A connected byte stream to a TCP port of a container node, through the API server's port-forward. Kubernetes
    /// forwards any port of the pod; which ports a learner may open is decided above the engine (the lab's access.http).
    /// </summary>
    public async Task<Stream?> OpenPortStreamAsync(string sessionId, string node, int port, CancellationToken cancellationToken) =>
        await ForwardPortAsync(sessionId, node, port, cancellationToken).ConfigureAwait(false);

    private async Task<Stream> ForwardPortAsync(string sessionId, string node, int port, CancellationToken cancellationToken)
    {
        var ns = LabCompiler.NamespaceFor(sessionId);
        await EnsureContainerNodeAsync(ns, node, "reach a port of", cancellationToken).ConfigureAwait(false);
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(node)}/portforward?ports={port.ToString(CultureInfo.InvariantCulture)}";
        var connection = new ChannelConnection(
            await sockets.ConnectAsync(path, [ChannelConnection.V4], cancellationToken).ConfigureAwait(false), portPrefixed: true);
        return new PortForwardStream(connection, node, port);
    }

    private async Task EnsureContainerNodeAsync(string ns, string node, string what, CancellationToken cancellationToken)
    {
        if (await IsVmAsync(ns, node, cancellationToken).ConfigureAwait(false))
        {
            throw new EngineException($"The Kubernetes engine cannot {what} VM node '{node}': KubeVirt offers no exec or port-forward into a guest.");
        }
    }

    private async Task<bool> IsVmAsync(string ns, string node, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.ReadNamespacedPodAsync(node, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (HttpOperationException e) when (KubernetesErrors.IsNotFound(e))
        {
            try
            {
                await client.CustomObjects.GetNamespacedCustomObjectAsync(KubeVirtGroup, KubeVirtVersion, ns, "virtualmachines", node, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (HttpOperationException inner) when (KubernetesErrors.IsNotFound(inner))
            {
                throw new EngineException($"Node '{node}' does not exist in namespace {ns}.");
            }
        }
        catch (HttpOperationException e)
        {
            throw KubernetesErrors.Translate($"read node {node} in namespace {ns}", e);
        }
    }

    private static string ExecPath(string ns, string node, IReadOnlyList<string> command, bool stdin, bool tty)
    {
        var query = new StringBuilder($"container={LabCompiler.ContainerName}&stdout=true");
        query.Append(tty ? "" : "&stderr=true").Append(stdin ? "&stdin=true" : "").Append(tty ? "&tty=true" : "");
        foreach (var part in command)
        {
            query.Append("&command=").Append(Uri.EscapeDataString(part));
        }

        return $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(node)}/exec?{query}";
    }

    private static string KubeVirtPath(string ns, string node, string subresource) =>
        $"/apis/subresources.kubevirt.io/v1/namespaces/{Uri.EscapeDataString(ns)}/virtualmachineinstances/{Uri.EscapeDataString(node)}/{subresource}";

    /// <summary>
    /// The exit code in exec's status message: Success is 0; a NonZeroExitCode failure names the code in its causes.
    /// Any other failure (no such container, the process could not start) is the engine's error, not the command's.
    /// </summary>
    internal static int ExitCode(string status, string node)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            throw new EngineException($"The command in node '{node}' ended without an exit status (the connection to the cluster broke).");
        }

        using var document = JsonDocument.Parse(status);
        var root = document.RootElement;
        if (root.TryGetProperty("status", out var outcome) && outcome.GetString() == "Success")
        {
            return 0;
        }

        if (root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes))
        {
            foreach (var cause in causes.EnumerateArray())
            {
                if (cause.TryGetProperty("reason", out var reason) && reason.GetString() == "ExitCode"
                    && int.TryParse(cause.GetProperty("message").GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                {
                    return code;
                }
            }
        }

        var message = root.TryGetProperty("message", out var text) ? text.GetString() : status;
        throw new EngineException($"The command in node '{node}' could not run: {message}");
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }
}
