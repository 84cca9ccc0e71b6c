using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>One of the learner's sessions listed in a 429 (session limit reached), so that a client can offer to stop it.</summary>
internal sealed record QuotaSession(string Id, string Lab, string? Title, SessionState State, DateTimeOffset? StartedAt, DateTimeOffset CreatedAt);
