using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using static LabOrchestrator.Server.Gateway.GatewayProblem;

namespace LabOrchestrator.Server.Observability;

/// <summary>
/// Guards <c>/metrics</c>: loopback clients (when <see cref="MetricsOptions.AllowLoopback"/>) and holders of
/// <see cref="MetricsOptions.BearerToken"/> read it; everyone else, signed in or not, is refused. Before a scrape it
/// refreshes the cached session counts, so the exporter's gauge callback never touches the database.
/// </summary>
internal static class MetricsAccess
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var bearer = BearerOf(context.Request);
        if (bearer is not null && !Matches(bearer, options.BearerToken))
        {
            await Problem(401, "Unauthorized", "The bearer token does not match Metrics:BearerToken.").ExecuteAsync(context);
            return;
        }

        if (bearer is null && !(options.AllowLoopback && IsLocal(context)))
        {
            await Problem(403, "Forbidden",
                "Metrics are served to clients on the server's own machine and to scrapers sending Authorization: Bearer with Metrics:BearerToken; see docs/lifecycle-metrics.md.")
                .ExecuteAsync(context);
            return;
        }

        await context.RequestServices.GetRequiredService<SessionCounts>().RefreshIfStaleAsync(context.RequestAborted);
        await next(context);
    }

    /// <summary>A loopback peer whose request no proxy forwarded (a proxy on the same machine makes everyone look local).</summary>
    internal static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer)
        && !context.Request.Headers.ContainsKey("Forwarded") && !context.Request.Headers.ContainsKey("X-Forwarded-For");

    private static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static bool Matches(string given, string expected) =>
        expected.Length > 0
        // Hashes first, so the comparison takes the same time whatever the lengths.
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
