using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Doctor;

/// <summary>Runs every registered <see cref="IHostCheckSource"/> (labctl doctor, and labctl serve before it serves).</summary>
public sealed partial class HostDoctor(IEnumerable<IHostCheckSource> sources, ILogger<HostDoctor> logger)
{
    public async Task<HostReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var checks = new List<HostCheck>();
        foreach (var source in sources)
        {
            try
            {
                checks.AddRange(await source.CheckAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A check that cannot run is a finding too, never a crash of the doctor.
                checks.Add(HostCheck.Failed(source.Name, $"could not be checked: {e.Message}", "run with --verbose for the details, and fix what it names"));
                LogSourceFailed(source.Name, e);
            }
        }

        foreach (var failed in checks.Where(c => c.Status == HostCheckStatus.Failed))
        {
            LogCheckFailed(failed.Name, failed.Detail, failed.Fix);
        }

        return new HostReport(checks);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Host check {Name} could not run")]
    private partial void LogSourceFailed(string name, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host check failed: {Name}: {Detail}. Fix: {Fix}")]
    private partial void LogCheckFailed(string name, string detail, string? fix);
}
