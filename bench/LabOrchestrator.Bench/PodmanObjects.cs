using System.Diagnostics;
using System.Text.Json;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Bench;

/// <summary>The Podman objects (pods, containers, networks, volumes) that carry the session label of given sessions.</summary>
internal static class PodmanObjects
{
    private static readonly string[][] Listings =
    [
        ["pod", "ps", "--format", "json"],
        ["ps", "-a", "--format", "json"],
        ["network", "ls", "--format", "json"],
        ["volume", "ls", "--format", "json"],
    ];

    /// <summary>"kind name" of every object labelled with one of <paramref name="sessions"/>.</summary>
    public static async Task<IReadOnlyList<string>> OfSessionsAsync(IReadOnlySet<string> sessions, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var listing in Listings)
        {
            var json = await OutputAsync(listing, cancellationToken);
            if (string.IsNullOrWhiteSpace(json) || json.Trim() == "null")
            {
                continue;
            }

            foreach (var item in JsonDocument.Parse(json).RootElement.EnumerateArray())
            {
                var labels = item.TryGetProperty("Labels", out var l) ? l : item.TryGetProperty("labels", out var l2) ? l2 : default;
                if (labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(LabLabels.Session, out var session) && sessions.Contains(session.GetString() ?? ""))
                {
                    var name = item.TryGetProperty("Name", out var n) ? n.ToString() : item.TryGetProperty("Names", out var ns) ? ns.ToString() : item.TryGetProperty("name", out var n2) ? n2.ToString() : "?";
                    found.Add($"{listing[0]} {name}");
                }
            }
        }

        return found;
    }

    public static async Task<string> OutputAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["CONTAINERS_CONF"] = Environment.GetEnvironmentVariable("CONTAINERS_CONF") ?? Repository.Path("images", "containers.conf");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("podman did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"podman {string.Join(' ', args)} failed: {await stderr}");
    }
}
