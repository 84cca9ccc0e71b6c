namespace LabOrchestrator.Sessions;

/// <summary>Why a session stopped; stored with it and shown to the learner.</summary>
public enum StopReason
{
    /// <summary>The learner stopped it.</summary>
    Learner,

    /// <summary>An instructor stopped it.</summary>
    Instructor,

    /// <summary>An administrator stopped it (also labctl on the server machine).</summary>
    Admin,

    /// <summary>Its time limit (<c>limits.duration</c> plus extensions) was up.</summary>
    TimeLimit,

    /// <summary>No learner activity for <c>limits.idleTimeout</c>.</summary>
    Idle,

    /// <summary>It stayed paused longer than <c>limits.pausedFor</c>.</summary>
    PausedTooLong,
}
