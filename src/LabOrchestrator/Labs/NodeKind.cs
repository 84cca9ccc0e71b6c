namespace LabOrchestrator.Labs;

public enum NodeKind
{
    Container,
    Vm,
}
