namespace LabOrchestrator.Sessions;

public sealed class StoredVolumeNotFoundException(string name)
    : KeyNotFoundException($"There is no stored data '{name}'. List it with 'labctl storage list'.")
{
    public string Name { get; } = name;
}
