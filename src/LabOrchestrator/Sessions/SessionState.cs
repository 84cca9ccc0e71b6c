namespace LabOrchestrator.Sessions;

public enum SessionState
{
    Pending,
    Starting,
    Running,
    Stopping,
    Stopped,
    Failed,
}
