using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using Microsoft.AspNetCore.Authentication;

namespace LabOrchestrator.Server.Gateway;

/// <summary><c>POST /api/sessions/{id}/access</c>: a short-lived access token for one session, for iframes and other sites.</summary>
internal static class AccessTokenEndpoint
{
    public const int DefaultLifetimeSeconds = 900;
    public const int MaxLifetimeSeconds = 3600;

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        string id,
        AccessTokenRequest? request,
        ISessionService sessions,
        AccessTokenService tokens,
        Listeners listeners,
        IAuditLog audit)
    {
        var ct = context.RequestAborted;
        request ??= new AccessTokenRequest();
        var session = await sessions.GetAsync(id, ct);
        if (session is null)
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: $"There is no session '{id}'.");
        }

        if (!SessionAccess.CanSee(context.User, session))
        {
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: "This session belongs to another user.");
        }

        if (session.State is SessionState.Stopping or SessionState.Stopped or SessionState.Failed)
        {
            return Results.Problem(statusCode: 409, title: "Conflict", detail: $"Session '{id}' is {session.State}; access tokens are for sessions that run or are starting.");
        }

        var errors = Validate(request, session);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid access token request");
        }

        if (context.User.GetSignIn() is not { } signIn)
        {
            return Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Your sign-in has no security stamp (it predates this server version); log in again.");
        }

        // Someone else's session (instructors, admins): the token can only watch.
        var watch = !SessionAccess.IsOwner(context.User, session);
        var kinds = request.Kinds?.Distinct().ToList() ?? [AccessKinds.Terminal];
        var nodes = request.Nodes is { Count: > 0 } requested ? requested.Distinct().ToList() : null;
        var lifetime = TimeSpan.FromSeconds(request.LifetimeSeconds ?? DefaultLifetimeSeconds);

        // Never longer than the credential that asks: the login cookie's or the API token's expiry.
        var notAfter = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
        var (token, expiresAt) = tokens.Issue(id, signIn, nodes, kinds, watch, lifetime, notAfter);

        var lab = await sessions.GetLabSnapshotAsync(id, ct);
        var urls = new Dictionary<string, NodeAccessUrls>(StringComparer.Ordinal);
        foreach (var node in nodes ?? [.. session.Nodes.Select(n => n.Node)])
        {
            var definition = lab?.Nodes.FirstOrDefault(n => n.Name == node);
            var terminal = kinds.Contains(AccessKinds.Terminal) && definition?.Access.Terminal != false;
            var ports = kinds.Contains(AccessKinds.Http) && definition is { Access.Http.Count: > 0 }
                ? definition.Access.Http.ToDictionary(
                    h => h.Name,
                    h => $"{listeners.Origins.UrlFor(context.Request, id, node, h.Port)}?access_token={Uri.EscapeDataString(token)}",
                    StringComparer.Ordinal)
                : null;
            urls[node] = new NodeAccessUrls(terminal ? TerminalUrl(context.Request, id, node, token, watch) : null, ports);
        }

        await audit.RecordAsync(context, AuditActions.AccessTokenIssued, sessionId: id, target: nodes is null ? "*" : string.Join(',', nodes),
            details: $"kinds={string.Join(',', kinds)}; watch={watch}; expires={expiresAt:O}", cancellationToken: CancellationToken.None);
        return Results.Ok(new AccessTokenResponse(token, expiresAt, watch, urls));
    }

    private static Dictionary<string, string[]> Validate(AccessTokenRequest request, Session session)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.LifetimeSeconds is { } seconds and (< 1 or > MaxLifetimeSeconds))
        {
            errors["lifetimeSeconds"] = [$"lifetimeSeconds is between 1 and {MaxLifetimeSeconds} (one hour); it was {seconds}."];
        }

        for (var i = 0; i < (request.Nodes?.Count ?? 0); i++)
        {
            if (session.Nodes.All(n => n.Node != request.Nodes![i]))
            {
                errors[$"nodes[{i}]"] = [$"Session '{session.Id}' has no node '{request.Nodes![i]}'. Its nodes: {string.Join(", ", session.Nodes.Select(n => n.Node))}."];
            }
        }

        for (var i = 0; i < (request.Kinds?.Count ?? 0); i++)
        {
            if (!AccessKinds.All.Contains(request.Kinds![i]))
            {
                errors[$"kinds[{i}]"] = [$"Unknown access kind '{request.Kinds[i]}'; known kinds: {string.Join(", ", AccessKinds.All)}."];
            }
        }

        if (request.Kinds is { Count: 0 })
        {
            errors["kinds"] = ["Give at least one access kind, or leave kinds out for the terminal only."];
        }

        return errors;
    }

    private static string TerminalUrl(HttpRequest request, string sessionId, string node, string token, bool watch)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        var path = $"{request.PathBase}/gateway/sessions/{Uri.EscapeDataString(sessionId)}/nodes/{Uri.EscapeDataString(node)}/terminal";
        return $"{scheme}://{request.Host}{path}?access_token={Uri.EscapeDataString(token)}{(watch ? "&mode=watch" : "")}";
    }
}
