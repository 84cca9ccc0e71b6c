using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>Runs commands and terminals in a node's container through Podman's exec API.</summary>
internal sealed class PodmanExecRunner(PodmanApiClient api, ILogger logger, TimeProvider time)
{
    /// <summary>What timed-out commands report, as coreutils' timeout does.</summary>
    public const int TimedOutExitCode = 124;

    /// <summary>An image's own terminal command, used instead of a login shell when present (the VM launcher's serial console).</summary>
    public const string TerminalCommand = "/usr/local/bin/lab-terminal";

    // A login shell in the user's home folder (exec keeps the container's HOME and working directory otherwise).
    private const string LoginShell =
        "if [ -x " + TerminalCommand + " ]; then exec " + TerminalCommand + "; fi; "
        + "h=$(getent passwd \"$(id -u)\" 2>/dev/null | cut -d: -f6); if [ -n \"$h\" ] && [ -d \"$h\" ]; then export HOME=\"$h\"; cd \"$h\"; fi; "
        + "if [ -x /bin/bash ]; then exec /bin/bash -l; else exec /bin/sh -l; fi";

    public async Task<ExecResult> RunAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var execId = await CreateAsync(sessionId, node, new Dictionary<string, object?>
        {
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["AttachStdin"] = false,
            ["Tty"] = false,
            ["Cmd"] = command,
        }, cancellationToken).ConfigureAwait(false);

        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await using var connection = await HijackedConnection.StartExecAsync(api.SocketPath, execId, tty: false, 0, 0, linked.Token).ConfigureAwait(false);
            await StreamDemultiplexer.CopyAsync(connection, stdout, stderr, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            PodmanLog.ExecTimedOut(logger, node, sessionId, timeout.TotalMilliseconds);
            await KillAsync(execId, cancellationToken).ConfigureAwait(false);
            return new ExecResult(TimedOutExitCode, Text(stdout), Text(stderr), TimedOut: true);
        }

        var exitCode = await ExitCodeAsync(execId, cancellationToken).ConfigureAwait(false);
        return new ExecResult(exitCode, Text(stdout), Text(stderr));
    }

    public async Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken)
    {
        var execId = await CreateAsync(sessionId, node, new Dictionary<string, object?>
        {
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["AttachStdin"] = true,
            ["Tty"] = true,
            ["Cmd"] = options.Command.Count > 0 ? options.Command : new[] { "/bin/sh", "-c", LoginShell },
            ["User"] = options.User,
            ["Env"] = new[] { "TERM=xterm-256color" },
        }, cancellationToken).ConfigureAwait(false);

        var connection = await HijackedConnection.StartExecAsync(api.SocketPath, execId, tty: true, options.Columns, options.Rows, cancellationToken).ConfigureAwait(false);
        var terminal = new PodmanTerminalStream(connection, api, execId, logger);
        try
        {
            // Podman may not have applied the start size yet; the process may not even be running yet.
            await ResizeWhenRunningAsync(terminal, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await terminal.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        PodmanLog.TerminalOpened(logger, node, sessionId);
        return terminal;
    }

    /// <summary>
    /// Starts <paramref name="command"/> in the node without a terminal and returns its stdin and stdout as one byte
    /// stream (a desktop's VNC connector, say). The command ends when the stream is disposed.
    /// </summary>
    public async Task<Stream> OpenStreamAsync(string sessionId, string node, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var execId = await CreateAsync(sessionId, node, new Dictionary<string, object?>
        {
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["AttachStdin"] = true,
            ["Tty"] = false,
            ["Cmd"] = command,
        }, cancellationToken).ConfigureAwait(false);
        var connection = await HijackedConnection.StartExecAsync(api.SocketPath, execId, tty: false, 0, 0, cancellationToken).ConfigureAwait(false);
        // The command ends when the stream is disposed, even one (a VM's VNC connector) that ignores its stdin closing.
        return new ExecByteStream(connection, () => ExecProcessKiller.KillAsync(api, execId, logger, CancellationToken.None));
    }

    private async Task ResizeWhenRunningAsync(PodmanTerminalStream terminal, TerminalOptions options, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                await terminal.ResizeAsync(options.Columns, options.Rows, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PodmanApiException) when (time.GetElapsedTime(started) < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
            catch (PodmanApiException)
            {
                // A shell that ended at once cannot be resized; the reader will see the end of output.
                return;
            }
        }
    }

    private async Task<string> CreateAsync(string sessionId, string node, Dictionary<string, object?> request, CancellationToken cancellationToken)
    {
        var container = PodmanNames.NodeContainer(sessionId, node);
        if (request.TryGetValue("User", out var user) && user is null)
        {
            request.Remove("User");
        }

        try
        {
            var created = await api.PostJsonAsync($"containers/{Uri.EscapeDataString(container)}/exec", request, cancellationToken).ConfigureAwait(false);
            return created.GetProperty("Id").GetString()!;
        }
        catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new EngineException($"Session '{sessionId}' has no node '{node}' on this Podman engine (no container '{container}').", e);
        }
        catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new EngineException($"Node '{node}' of session '{sessionId}' is not running: {e.Message}", e);
        }
    }

    private async Task<int> ExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        // The output can end a moment before Podman records the exit code.
        var started = time.GetTimestamp();
        while (true)
        {
            var inspect = await api.GetAsync($"exec/{execId}/json", cancellationToken).ConfigureAwait(false)
                ?? throw new EngineException($"Podman forgot the command {execId} before reporting its exit code.");
            if (!inspect.GetProperty("Running").GetBoolean() || time.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
            {
                return inspect.GetProperty("ExitCode").GetInt32();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Podman 4 cannot kill an exec session, and wrapping commands in timeout(1) needs it in every image. Podman
    /// reports the process's host pid, and the engine runs beside Podman, so the process tree is killed from here.
    /// </summary>
    private async Task KillAsync(string execId, CancellationToken cancellationToken)
    {
        var inspect = await api.GetAsync($"exec/{execId}/json", cancellationToken).ConfigureAwait(false);
        if (inspect is not { } info || !info.TryGetProperty("Pid", out var pidElement) || pidElement.ValueKind != JsonValueKind.Number)
        {
            return;
        }

        var pid = pidElement.GetInt32();
        if (pid <= 0 || !info.GetProperty("Running").GetBoolean())
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            PodmanLog.ExecKillFailed(logger, pid, e.Message);
        }
    }

    private static string Text(MemoryStream stream) => Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
}
