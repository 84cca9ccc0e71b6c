namespace LabOrchestrator.Doctor;

/// <summary>Every host check, in the order they ran.</summary>
public sealed record HostReport(IReadOnlyList<HostCheck> Checks)
{
    public IEnumerable<HostCheck> Failures => Checks.Where(c => c.Status == HostCheckStatus.Failed);

    /// <summary>No required check failed: sessions can start here.</summary>
    public bool Healthy => !Failures.Any();
}
