using LabOrchestrator.Doctor;

namespace LabOrchestrator.Server.Hosting;

/// <summary>The host checks found a required part broken, so the server refuses to serve (<see cref="ServerOptions.CheckHost"/>).</summary>
public sealed class HostNotReadyException(HostReport report)
    : Exception($"This host cannot run sessions: {string.Join("; ", report.Failures.Select(f => $"{f.Name}: {f.Detail} (fix: {f.Fix})"))}")
{
    public HostReport Report { get; } = report;
}
