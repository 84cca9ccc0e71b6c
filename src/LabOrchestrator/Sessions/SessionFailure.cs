using LabOrchestrator.Engines;

namespace LabOrchestrator.Sessions;

/// <summary>
/// Why a session failed, twice: <see cref="Reason"/>, a plain sentence for everyone (learners included), and
/// <see cref="Detail"/>, the engine's own words and the fix, for instructors, admins and the log only.
/// </summary>
public sealed record SessionFailure(string Reason, string Detail)
{
    public const string HostReason =
        "This lab could not start because of a problem on the server, not because of anything you did. Please tell your instructor; an administrator can see what to fix.";

    public const string NodeReason =
        "A machine of this lab could not start. Try starting the lab again; if it fails again, please tell your instructor.";

    public static SessionFailure From(EngineException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.HostFix is { } fix
            ? new SessionFailure(HostReason, $"{failure.Message} Fix: {fix}")
            : new SessionFailure(NodeReason, failure.Message);
    }

    public static SessionFailure TimedOut(TimeSpan limit) => new(
        $"The lab's machines did not all start within {limit.TotalSeconds:0} seconds. Try starting it again later; if it fails again, please tell your instructor.",
        $"The nodes did not all start within {limit.TotalSeconds:0} seconds (LabOrchestrator:StartTimeout). On a busy host raise it; labctl doctor checks the host.");
}
