using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Lifecycle;

/// <summary>Why a session stopped, in a sentence a learner reads in the workspace and in "My sessions".</summary>
internal static class StopMessages
{
    public static string? For(Session session) =>
        session.State == SessionState.Stopping && Reason(session) is { } reason
            ? $"This session is stopping. {reason}"
            : Reason(session);

    private static string? Reason(Session session) => session.StopReason switch
    {
        StopReason.Learner => "You stopped this session.",
        StopReason.Instructor => $"An instructor ({session.StoppedBy}) stopped this session.",
        StopReason.Admin => session.StoppedBy is null ? "An administrator stopped this session." : $"An administrator ({session.StoppedBy}) stopped this session.",
        StopReason.TimeLimit => "This session stopped because its time was up.",
        StopReason.Idle => $"This session stopped because nobody used it for {Describe(session.Limits.IdleTimeout)}.",
        StopReason.PausedTooLong => $"This session stopped because it stayed paused for more than {Describe(session.Limits.PausedFor)}.",
        StopReason.Labctl => "An administrator stopped this session on the server.",
        StopReason.Server => "The server stopped this session while cleaning up after a problem.",
        _ => null,
    };

    public static string Describe(TimeSpan? span)
    {
        if (span is not { } s)
        {
            return "a while";
        }

        var parts = new List<string>();
        if ((int)s.TotalHours > 0)
        {
            parts.Add(Plural((int)s.TotalHours, "hour"));
        }

        if (s.Minutes > 0)
        {
            parts.Add(Plural(s.Minutes, "minute"));
        }

        if (s.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(Plural(s.Seconds, "second"));
        }

        return string.Join(" ", parts);
    }

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
