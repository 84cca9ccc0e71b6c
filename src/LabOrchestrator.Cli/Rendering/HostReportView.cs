using LabOrchestrator.Doctor;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>A host report as people read it: one line per check with ✓, ! or ✗, and the fix under what is not ✓.</summary>
internal static class HostReportView
{
    public static async Task WriteAsync(TextWriter writer, IEnumerable<HostCheck> checks)
    {
        foreach (var check in checks)
        {
            var mark = check.Status switch
            {
                HostCheckStatus.Ok => "✓",
                HostCheckStatus.Warning => "!",
                _ => "✗",
            };
            await writer.WriteLineAsync($"{mark} {check.Name}: {check.Detail}");
            if (check.Fix is { } fix && check.Status != HostCheckStatus.Ok)
            {
                await writer.WriteLineAsync($"    fix: {fix}");
            }
        }
    }
}
