namespace LabOrchestrator.Server.Lifecycle;

/// <summary>
/// A <c>warning</c> event of a session's event stream: the session will stop at <see cref="EndsAt"/> unless the learner
/// acts. <see cref="Kind"/>: <c>timeLimit</c> (extend it, if the lab allows), <c>idle</c> (any activity cancels it),
/// <c>pausedTooLong</c> (resume it). <see cref="Cancelled"/> says an earlier warning no longer holds.
/// </summary>
internal sealed record SessionWarning(string Kind, DateTimeOffset EndsAt, long SecondsLeft, string Message, bool Cancelled = false)
{
    public const string TimeLimit = "timeLimit";
    public const string Idle = "idle";
    public const string PausedTooLong = "pausedTooLong";
}
