namespace LabOrchestrator.Sessions;

public enum SessionState
{
    Pending,
    Starting,
    Running,
    Stopping,
    Stopped,
    Failed,

    /// <summary>Every node frozen with its memory kept; resumes to Running. Counts as active for quotas.</summary>
    Paused,
}
