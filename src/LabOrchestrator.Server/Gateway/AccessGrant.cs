using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// What a valid access token allows: one session, some or all of its nodes (<see cref="Nodes"/> null for all), some access
/// kinds, until it expires. <see cref="Watch"/> tokens see terminals but cannot type (instructors and admins issue those).
/// <see cref="SignIn"/> is the credential that made it (the user at a security stamp, and the API token if one was used):
/// the token works only while that credential does.
/// </summary>
public sealed record AccessGrant(string SessionId, SignIn SignIn, IReadOnlyList<string>? Nodes, IReadOnlyList<string> Kinds, bool Watch, DateTimeOffset ExpiresAt)
{
    public string UserId => SignIn.UserId;

    public bool AllowsSession(string sessionId) => string.Equals(SessionId, sessionId, StringComparison.Ordinal);

    public bool AllowsNode(string node) => Nodes is null || Nodes.Contains(node, StringComparer.Ordinal);

    public bool AllowsKind(string kind) => Kinds.Contains(kind, StringComparer.Ordinal);
}
