namespace LabOrchestrator.Doctor;

/// <summary>
/// Checks part of what the host needs (the database, an engine). Engines register theirs next to themselves, so
/// <see cref="HostDoctor"/> asks every part that is configured and none that is not.
/// </summary>
public interface IHostCheckSource
{
    /// <summary>What it checks, for a check that could not run at all ("podman", "database").</summary>
    string Name { get; }

    Task<IReadOnlyList<HostCheck>> CheckAsync(CancellationToken cancellationToken);
}
