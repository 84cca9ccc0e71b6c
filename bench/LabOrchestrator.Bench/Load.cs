namespace LabOrchestrator.Bench;

/// <summary>The machine's load average, printed before and after a run: other work on the machine moves the figures.</summary>
internal static class Load
{
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
