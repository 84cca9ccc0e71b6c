namespace LabOrchestrator.Labs;

public sealed class LabAlreadyExistsException(string name)
    : InvalidOperationException($"A lab named '{name}' already exists. Update it instead, or remove it first.")
{
    public string Name { get; } = name;
}
