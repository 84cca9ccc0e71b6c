using System.Globalization;
using System.Text.Json;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman;

/// <summary>
/// Exec in a VM node runs in the guest, not in its launcher: the command goes to <c>vm-exec</c>, which hands it to the
/// guest's agent on a serial port of its own (the learner's console stays free). A node is a VM when its container
/// carries the <see cref="LabLabels.NodeKind"/> label the compiler sets.
/// </summary>
internal static class VmExec
{
    public const string Command = "vm-exec";

    public static async Task<IReadOnlyList<string>> CommandForAsync(PodmanApiClient api, string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var inspect = await api.GetAsync($"containers/{Uri.EscapeDataString(PodmanNames.NodeContainer(sessionId, node))}/json", cancellationToken).ConfigureAwait(false);
        if (inspect is not { } info || !IsVm(info))
        {
            // Not found is reported by the exec itself, with the engine's usual message.
            return command;
        }

        // The engine's own deadline kills vm-exec; the guest's share ends its command there too.
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        return [Command, "-t", seconds.ToString(CultureInfo.InvariantCulture), "--", .. command];
    }

    private static bool IsVm(JsonElement info) =>
        info.TryGetProperty("Config", out var config)
        && config.TryGetProperty("Labels", out var labels)
        && labels.ValueKind == JsonValueKind.Object
        && labels.TryGetProperty(LabLabels.NodeKind, out var kind)
        && kind.GetString() == LabLabels.NodeKindVm;
}
