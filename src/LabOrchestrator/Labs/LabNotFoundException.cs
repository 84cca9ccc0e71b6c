namespace LabOrchestrator.Labs;

public sealed class LabNotFoundException(string name)
    : KeyNotFoundException($"There is no lab '{name}'. List labs with 'labctl lab list' or import one with 'labctl lab import PATH'.")
{
    public string Name { get; } = name;
}
