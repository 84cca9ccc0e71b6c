namespace LabOrchestrator.Doctor;

/// <summary>How one host check came out.</summary>
public enum HostCheckStatus
{
    /// <summary>What was checked is there and works.</summary>
    Ok,

    /// <summary>Works, but less well than it could (e.g. VMs under software emulation) or needs attention soon.</summary>
    Warning,

    /// <summary>Required and broken: sessions would fail. <c>labctl doctor</c> exits 1, <c>labctl serve</c> refuses to serve.</summary>
    Failed,
}
