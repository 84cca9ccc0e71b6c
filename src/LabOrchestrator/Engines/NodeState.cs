namespace LabOrchestrator.Engines;

public enum NodeState
{
    Pending,
    Creating,
    Starting,
    Running,
    Stopped,
    Failed,
    Missing,
}
