using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using static LabOrchestrator.Server.Gateway.GatewayProblem;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// A console WebSocket request (terminal or desktop) that passed the checks both have in common: authorised, for a
/// running session's node that offers that console, as a WebSocket. <see cref="Watch"/> is set for instructors and admins
/// on someone else's session and for watch-only tokens: they see, but their input never reaches the node.
/// </summary>
internal sealed record ConsoleRequest(Session Session, NodeDefinition? Definition, bool Watch, SignIn Owner)
{
    public string UserId => Owner.UserId;

    /// <summary>The request, or the problem that refuses it (with its status).</summary>
    public static async Task<(ConsoleRequest? Request, IResult? Refusal)> ReadAsync(
        HttpContext context, string id, string node, string kind, Func<NodeDefinition?, bool> offers,
        ISessionService sessions, AccessTokenService tokens, ILogger logger)
    {
        var ct = context.RequestAborted;
        var mode = context.Request.Query["mode"].ToString();
        if (mode is not ("" or "watch" or "interactive"))
        {
            return (null, Problem(400, "Bad request", "mode is 'interactive' (the default) or 'watch'."));
        }

        var (access, refusal) = await AuthorizeAsync(context, id, node, kind, tokens, logger);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var session = await sessions.GetAsync(id, ct);
        if (session is null)
        {
            return (null, Problem(404, "Not found", $"There is no session '{id}'."));
        }

        var watch = mode == "watch" || access!.Watch;
        if (access!.Token is null && !SessionAccess.IsOwner(context.User, session))
        {
            if (!context.User.IsInstructorOrAdmin())
            {
                return (null, Problem(403, "Forbidden", "This session belongs to another user."));
            }

            // Instructors and admins only ever watch a learner's consoles.
            watch = true;
        }

        if (session.Nodes.All(n => n.Node != node))
        {
            return (null, Problem(404, "Not found", $"Session '{id}' has no node '{node}'."));
        }

        // The lab as the session started with it, not the catalogue's (which may have changed or be gone).
        var definition = (await sessions.GetLabSnapshotAsync(id, ct))?.Nodes.FirstOrDefault(n => n.Name == node);
        if (!offers(definition))
        {
            return (null, Problem(403, "Forbidden", $"The lab does not offer a {kind} on node '{node}'."));
        }

        if (session.State == SessionState.Paused)
        {
            return (null, Problem(409, "Session paused", $"Session '{id}' is paused; resume it to open its {kind}s."));
        }

        if (session.State != SessionState.Running)
        {
            return (null, Problem(409, "Conflict", $"Session '{id}' is {session.State}; only a running session's {kind}s can be opened."));
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return (null, Problem(400, "Bad request", "This URL opens a WebSocket; connect with a WebSocket client."));
        }

        return (new ConsoleRequest(session, definition, watch, access.Owner), null);
    }

    /// <summary>
    /// Authorises a console WebSocket (<paramref name="kind"/>: terminal or desktop). An access token in the query wins
    /// over the cookie or bearer header; without either the answer is 401.
    /// </summary>
    private static async Task<(Access? Access, IResult? Refusal)> AuthorizeAsync(HttpContext context, string id, string node, string kind, AccessTokenService tokens, ILogger logger)
    {
        if (context.Request.Query.TryGetValue("access_token", out var value))
        {
            var grant = await tokens.ValidateAsync(value.ToString(), context.RequestAborted);
            if (grant is null)
            {
                GatewayLog.AccessTokenRefused(logger);
                return (null, Problem(401, "Unauthorized", AccessTokenRefusal));
            }

            return grant.AllowsSession(id) && grant.AllowsNode(node) && grant.AllowsKind(kind)
                ? (new Access(grant, grant.Watch, grant.SignIn), null)
                : (null, Problem(403, "Forbidden", $"The access token does not open this node's {kind}."));
        }

        if (context.User.Identity?.IsAuthenticated != true || context.User.GetSignIn() is not { } signIn)
        {
            return (null, Problem(401, "Unauthorized", "Log in, send an API token as 'Authorization: Bearer', or add an access token as ?access_token=."));
        }

        // Browsers send cookies with cross-site WebSocket handshakes; only this site's pages may use the login cookie here.
        var viaCookie = !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var origin = context.Request.Headers.Origin.ToString();
        if (viaCookie && origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problem(403, "Forbidden", "Cross-site pages must use an access token, not the login cookie."));
        }

        return (new Access(null, false, signIn), null);
    }

    /// <summary>Why an access token is refused; the same words whatever the cause, so that they tell an attacker nothing.</summary>
    public const string AccessTokenRefusal =
        "The access token is malformed, tampered with, expired or signed by an unknown key, or the sign-in that made it ended (logout, new password, disabled user, revoked API token); ask for a new one with POST /api/sessions/{id}/access.";

    /// <summary>How a console connection was authorised: by an access token (with its watch flag) or as the signed-in user, and the credential behind it.</summary>
    private sealed record Access(AccessGrant? Token, bool Watch, SignIn Owner);
}
