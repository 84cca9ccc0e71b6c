using LabOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LabOrchestrator.Server.Observability;

/// <summary>
/// Puts the session id into the logging scope of everything about one session: API requests under
/// <c>/api/sessions/{id}</c> (checks, stop, access tokens), gateway connections under <c>/gateway/sessions/{id}</c>
/// (for as long as the terminal or desktop stays open), web-port requests (the session named by the host name), and
/// the background start (<see cref="Begin"/>). Console and JSON logs show scopes as fields (<c>SessionId</c>).
/// </summary>
internal static class SessionLogScope
{
    public const string Key = "SessionId";

    public static IDisposable? Begin(ILogger logger, string sessionId) =>
        logger.BeginScope(new Dictionary<string, object> { [Key] = sessionId });

    /// <summary>Middleware for the main listener; runs after routing, so it sees the matched endpoint's route values.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (SessionIdOf(context) is not { } id)
        {
            await next(context);
            return;
        }

        using var scope = Begin(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionLogScope)), id);
        await next(context);
    }

    /// <summary>Middleware for the web-ports listener: the host name names the session.</summary>
    public static async Task InvokeForWebPortAsync(HttpContext context, RequestDelegate next)
    {
        var listeners = context.RequestServices.GetRequiredService<Listeners>();
        if (listeners.Origins.Read(context.Request) is not { } address)
        {
            await next(context);
            return;
        }

        using var scope = Begin(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionLogScope)), address.SessionId);
        await next(context);
    }

    private static string? SessionIdOf(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern } && NamesSession(pattern)
            && context.Request.RouteValues.TryGetValue("id", out var id) && id is string { Length: > 0 } value
            ? value
            : null;

    private static bool NamesSession(RoutePattern pattern) =>
        pattern.RawText is { } raw && raw.Contains("sessions/{id", StringComparison.OrdinalIgnoreCase);
}
