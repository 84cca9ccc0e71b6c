namespace LabOrchestrator.Labs;

/// <summary>
/// The labs that sessions can be started from. Invalid labs are never stored; a stored lab that fails a later rule
/// is left out of <see cref="ListAsync"/> and <see cref="GetAsync"/> and listed by <see cref="ListBrokenAsync"/>.
/// </summary>
public interface ILabCatalog
{
    /// <summary>Validates and stores a new lab; throws <see cref="LabValidationException"/> with every problem, or <see cref="LabAlreadyExistsException"/>.</summary>
    Task<StoredLab> AddAsync(LabSource source, CancellationToken cancellationToken = default);

    /// <summary>Validates and replaces an existing lab; throws <see cref="LabNotFoundException"/> when there is none.</summary>
    Task<StoredLab> UpdateAsync(LabSource source, CancellationToken cancellationToken = default);

    /// <summary>Adds the lab, or replaces it when one with its name exists.</summary>
    Task<StoredLab> AddOrUpdateAsync(LabSource source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the lab, or replaces it when one with its name exists. A new lab is published only when
    /// <paramref name="publishIfNew"/> is set; a replaced lab keeps whether it was published.
    /// </summary>
    Task<StoredLab> AddOrUpdateAsync(LabSource source, bool publishIfNew, CancellationToken cancellationToken = default);

    /// <summary>Lets learners start the lab (or stops letting them); null when there is no such lab.</summary>
    Task<StoredLab?> SetPublishedAsync(string name, bool published, CancellationToken cancellationToken = default);

    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredLab>> ListAsync(CancellationToken cancellationToken = default);

    Task<StoredLab?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stored labs that no longer pass validation, with every problem, for administrators to fix or delete.</summary>
    Task<IReadOnlyList<BrokenLab>> ListBrokenAsync(CancellationToken cancellationToken = default);
}
