namespace LabOrchestrator.Persistence;

/// <summary>
/// The one row naming this database's installation. Engine objects carry its id (<see cref="Engines.LabLabels.Instance"/>),
/// so a reconciler removes only what its own database's sessions made, never another installation's on a shared engine.
/// </summary>
internal sealed class InstanceEntity
{
    public const int OnlyKey = 1;

    public int Key { get; set; } = OnlyKey;
    public required string Id { get; set; }
}
