namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// A new access token, and the gateway URLs (with the token in them) of each node it opens. <see cref="Watch"/> is true
/// when the token is watch-only (issued by an instructor or admin for someone else's session).
/// </summary>
public sealed record AccessTokenResponse(string Token, DateTimeOffset ExpiresAt, bool Watch, IReadOnlyDictionary<string, NodeAccessUrls> Nodes);
