using System.Net.Sockets;
using k8s.Models;
using LabOrchestrator.Compilation;

namespace LabOrchestrator.Podman;

/// <summary>
/// Desktop nodes' VNC sockets on the host: the planned pod's socket volume becomes a host folder per session and node
/// (under <see cref="PodmanEngineOptions.DesktopSocketRoot"/>, which only root may enter), so the gateway connects to the
/// socket directly instead of through an exec in the node.
/// </summary>
internal static class DesktopSockets
{
    private const string SocketName = "vnc.sock";

    public static string Folder(PodmanEngineOptions options, string sessionId, string node) =>
        Path.Combine(options.DesktopSocketRoot, sessionId, node);

    /// <summary>Points the pod's socket volume at the node's host folder, made writable for the desktop's user.</summary>
    public static void Adapt(V1Pod pod, PodmanEngineOptions options, string sessionId, string node)
    {
        var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == LabCompiler.DesktopSocketVolume);
        if (volume is null)
        {
            return;
        }

        var folder = Folder(options, sessionId, node);
        Directory.CreateDirectory(options.DesktopSocketRoot);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.DesktopSocketRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // The desktop runs as the learner, whose uid the engine does not know; the root-only parent keeps others out.
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        }
        volume.EmptyDir = null;
        volume.HostPath = new V1HostPathVolumeSource { Path = folder, Type = "Directory" };
    }

    /// <summary>A connection to the node's VNC socket on the host, or null when there is none (a VM node, an older image).</summary>
    public static async Task<Stream?> TryConnectAsync(PodmanEngineOptions options, string sessionId, string node, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder(options, sessionId, node), SocketName);
        if (!File.Exists(path))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Removes the session's socket folders.</summary>
    public static void Delete(PodmanEngineOptions options, string sessionId)
    {
        var folder = Path.Combine(options.DesktopSocketRoot, sessionId);
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A socket still held open; the next delete of the session tries again.
        }
    }
}
