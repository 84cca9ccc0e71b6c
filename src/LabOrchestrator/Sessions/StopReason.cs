namespace LabOrchestrator.Sessions;

/// <summary>Why a session stopped; stored with it and shown to the learner.</summary>
public enum StopReason
{
    /// <summary>The learner stopped it.</summary>
    Learner,

    /// <summary>An instructor stopped it.</summary>
    Instructor,

    /// <summary>An administrator stopped it through the API.</summary>
    Admin,

    /// <summary>Its time limit (<c>limits.duration</c> plus extensions) was up.</summary>
    TimeLimit,

    /// <summary>No learner activity for <c>limits.idleTimeout</c>.</summary>
    Idle,

    /// <summary>It stayed paused longer than <c>limits.pausedFor</c>.</summary>
    PausedTooLong,

    /// <summary>An operator stopped it with <c>labctl session stop</c> on the server machine.</summary>
    Labctl,

    /// <summary>The server stopped it on its own (the reconciler cleaning up after a failure or a lost start).</summary>
    Server,
}
