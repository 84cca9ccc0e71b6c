using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>A session as --output json shows it. Credentials only where the learner needs them (session start).</summary>
internal sealed record SessionJson(
    string Id,
    string Lab,
    string UserId,
    string? UserDisplayName,
    string Engine,
    SessionState State,
    string? FailureReason,
    string? FailureDetail,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<NodeStatus> Nodes,
    IReadOnlyList<SessionCredential>? Credentials,
    StopReason? StopReason = null,
    string? StoppedBy = null,
    DateTimeOffset? PausedAt = null,
    int Extensions = 0)
{
    public static SessionJson From(Session session, bool withCredentials = false) => new(
        session.Id,
        session.LabName,
        session.UserId,
        session.UserDisplayName,
        session.Engine,
        session.State,
        session.FailureReason,
        session.FailureDetail,
        session.CreatedAt,
        session.StartedAt,
        session.StoppedAt,
        session.ExpiresAt,
        session.Nodes,
        withCredentials ? session.Credentials : null,
        session.StopReason,
        session.StoppedBy,
        session.PausedAt,
        session.Extensions);
}
