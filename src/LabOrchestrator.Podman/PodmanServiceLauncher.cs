using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Finds a Podman API socket that answers, starting <c>podman system service</c> when none does.
/// The service is detached (own session, output to a file) so it outlives this process and later runs reuse it.
/// </summary>
internal sealed class PodmanServiceLauncher(PodmanEngineOptions options, ILogger logger, TimeProvider time)
{
    /// <summary>The service to talk to, once it answers <c>_ping</c>.</summary>
    public async Task<PodmanService> EnsureAsync(CancellationToken cancellationToken)
    {
        if (options.SocketPath is { } configured)
        {
            using var client = new PodmanApiClient(configured);
            if (!await client.PingAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new Engines.EngineException($"Nothing answers on the Podman socket '{configured}'. Start it with 'podman system service --time=0 unix://{configured}', or leave SocketPath empty to let the engine start one.");
            }

            PodmanLog.ExternalService(logger, configured);
            return new PodmanService(configured, null, null);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(options.ServiceSocketPath))!;
        var configuration = ServiceConfiguration.Create(folder, options, logger);
        // A service started with another configuration (an older engine's) is never reused: each has its own socket.
        var socket = configuration.SocketPath(options.ServiceSocketPath);
        var service = new PodmanService(socket, configuration.RefusingSeccomp, configuration.AllowingSeccomp);
        using var api = new PodmanApiClient(socket);
        if (await api.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            return service;
        }

        Directory.CreateDirectory(folder);
        // Another process of ours may be starting the same service right now: one at a time per socket.
        await using var gate = await AcquireLockAsync(socket + ".lock", cancellationToken).ConfigureAwait(false);
        if (await api.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            return service;
        }

        var podman = ExecutableLookup.Find(options.PodmanPath)
            ?? throw new Engines.EngineException($"The Podman engine needs podman, but '{options.PodmanPath}' was not found on PATH. Install it (apt-get install -y podman runc) or set PodmanEngineOptions.PodmanPath.");
        var conf = await configuration.WriteAsync(cancellationToken).ConfigureAwait(false);
        var log = Path.Combine(folder, "podman-service.log");
        if (File.Exists(socket))
        {
            File.Delete(socket);
        }

        using var process = StartDetached(podman, socket, conf, log, folder);
        PodmanLog.ServiceStarting(logger, podman, socket);
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        while (!await api.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new Engines.EngineException($"'{podman} system service' exited with code {process.ExitCode} before answering on '{socket}': {await TailAsync(log, cancellationToken).ConfigureAwait(false)}");
            }

            if (time.GetElapsedTime(started) > options.ServiceStartTimeout)
            {
                throw new Engines.EngineException($"'{podman} system service' did not answer on '{socket}' within {options.ServiceStartTimeout.TotalSeconds:0} s: {await TailAsync(log, cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }

        PodmanLog.ServiceStarted(logger, socket, time.GetElapsedTime(started).TotalMilliseconds);
        return service;
    }

    private static Process StartDetached(string podman, string socket, string conf, string log, string folder)
    {
        // sh redirects the output to a file (a pipe to us would die with us and could keep test runners waiting)
        // and setsid puts the service in its own session, so signals to our process group spare it.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            // kube play finds "localhost/FILE" seccomp profiles relative to the service's working folder.
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("if command -v setsid >/dev/null 2>&1; then exec setsid \"$0\" system service --time=0 \"unix://$1\" </dev/null >>\"$2\" 2>&1; else exec \"$0\" system service --time=0 \"unix://$1\" </dev/null >>\"$2\" 2>&1; fi");
        start.ArgumentList.Add(podman);
        start.ArgumentList.Add(socket);
        start.ArgumentList.Add(log);
        start.Environment["CONTAINERS_CONF"] = conf;
        return Process.Start(start) ?? throw new Engines.EngineException($"Could not start '{podman} system service'.");
    }

    private static async Task<IAsyncDisposable> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<string> TailAsync(string log, CancellationToken cancellationToken)
    {
        if (!File.Exists(log))
        {
            return "(no output)";
        }

        var lines = await File.ReadAllLinesAsync(log, cancellationToken).ConfigureAwait(false);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(5));
    }
}
