using System.Diagnostics;

namespace LabOrchestrator.Sessions;

/// <summary>
/// Trace spans of a session's start and stop, one per phase (admission, start slot, database writes, compile, network,
/// each node's play and readiness, removal), on one <see cref="ActivitySource"/> named <see cref="SourceName"/>. Nothing
/// is recorded unless a listener (an OpenTelemetry tracer, the class benchmark) asks for this source, so the spans cost
/// nothing otherwise. Span names are fixed strings; the session and node are tags.
/// </summary>
public static class SessionTracing
{
    public const string SourceName = "LabOrchestrator.Sessions";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for one phase of a session's life, or null when nobody listens.</summary>
    internal static Activity? Begin(string phase, string sessionId, string? node = null)
    {
        var activity = Source.StartActivity(phase, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("session", sessionId);
            if (node is not null)
            {
                activity.SetTag("node", node);
            }
        }

        return activity;
    }
}
