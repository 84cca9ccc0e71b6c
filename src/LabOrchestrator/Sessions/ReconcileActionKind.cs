namespace LabOrchestrator.Sessions;

/// <summary>What the reconciler did to one session (a metric label: keep the names stable).</summary>
public enum ReconcileActionKind
{
    /// <summary>Removed engine objects of a session the database does not know, or that is Stopped.</summary>
    RemovedOrphans,

    /// <summary>Removed what a Failed session still held.</summary>
    RemovedLeftovers,

    /// <summary>A Running session's nodes were gone: the session is Failed.</summary>
    FailedVanished,

    /// <summary>A Pending or Starting session whose starter died: its objects removed, the session Failed.</summary>
    FailedInterruptedStart,

    /// <summary>A Stopping session whose stopper died: its objects removed, the session Stopped.</summary>
    FinishedStop,

    /// <summary>
    /// A Running or Paused session whose pause, resume or reset was interrupted with every node still there: its nodes
    /// are brought back to the state the database records (resumed if Running, paused if Paused), the session kept.
    /// </summary>
    RestoredInterrupted,

    /// <summary>Left alone because another live process is working on it (fresh heartbeat).</summary>
    LeftLiveOperation,

    /// <summary>The engine refused an action; the next pass tries again.</summary>
    Error,
}
