using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Ends what an exec session runs. Closing its attach connection is not enough: conmon keeps the terminal open, so
/// the shell never gets SIGHUP and runs on with everything started in it. Podman 4 has no API to kill an exec session,
/// but reports its process's host pid, and the engine runs beside Podman; so the process, its descendants and every
/// process of its session (a terminal's shell leads one) are killed from here. Podman then removes the exec session
/// itself once its exit command runs (containers.conf exit_command_delay, see <see cref="ServiceConfiguration"/>).
/// </summary>
internal static class ExecProcessKiller
{
    private static readonly TimeSpan InspectTimeout = TimeSpan.FromSeconds(5);

    public static async Task KillAsync(PodmanApiClient api, string execId, ILogger logger, CancellationToken cancellationToken)
    {
        JsonElement? inspect;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(InspectTimeout);
        try
        {
            inspect = await api.GetAsync($"exec/{execId}/json", limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PodmanApiException or HttpRequestException or OperationCanceledException)
        {
            PodmanLog.ExecKillFailed(logger, 0, e.Message);
            return;
        }

        if (inspect is not { } info || !info.TryGetProperty("Pid", out var pidElement) || pidElement.ValueKind != JsonValueKind.Number
            || !info.TryGetProperty("Running", out var running) || !running.GetBoolean())
        {
            return;
        }

        var pid = pidElement.GetInt32();
        if (pid > 1)
        {
            KillTree(pid, logger);
        }
    }

    /// <summary>SIGKILLs <paramref name="root"/>, its descendants and the members of its session, leaders' children first.</summary>
    internal static void KillTree(int root, ILogger logger)
    {
        var stats = ReadStats();
        var doomed = new HashSet<int> { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent, session) in stats)
            {
                if (!doomed.Contains(pid) && (doomed.Contains(parent) || session == root))
                {
                    doomed.Add(pid);
                    grew = true;
                }
            }
        }
        while (grew);

        foreach (var pid in doomed.OrderBy(p => p == root ? 1 : 0))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Gone already, or not ours to kill; the rest still go.
                PodmanLog.ExecKillFailed(logger, pid, e.Message);
            }
        }
    }

    /// <summary>(pid, parent pid, session id) of every process, from /proc/PID/stat.</summary>
    private static List<(int Pid, int Parent, int Session)> ReadStats()
    {
        var stats = new List<(int, int, int)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(folder, "stat"));
                // The command name is in parentheses and may hold spaces; the fields after it are: state ppid pgrp session.
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                stats.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended while being read.
            }
        }

        return stats;
    }
}
