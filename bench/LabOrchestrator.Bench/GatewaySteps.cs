using System.Diagnostics;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Bench;

/// <summary>
/// What the web-port gateway does for every request before it forwards, each step timed alone (sequentially, in the
/// server's process): shows where a request's time goes when the gateway is slower than a plain proxy.
/// </summary>
internal static class GatewaySteps
{
    private const int Calls = 200;

    public static async Task ReportAsync(GatewayBenchServer server, string node, int port, string accessToken, TextWriter output, CancellationToken cancellationToken)
    {
        var id = server.Session.Id;
        var labs = server.Services.GetRequiredService<ILabCatalog>();
        var accounts = server.Services.GetRequiredService<IAccountService>();
        var tokens = server.Services.GetRequiredService<AccessTokenService>();
        (string Name, Func<Task> Step)[] steps =
        [
            ("access token check (HMAC + cached sign-in check)", async () => _ = await tokens.ValidateAsync(accessToken, cancellationToken) ?? throw new InvalidOperationException("The access token was refused.")),
            ("API token check (ValidateApiTokenAsync: SQLite read + LastUsedAt write)", () => accounts.ValidateApiTokenAsync(server.ApiToken, cancellationToken)),
            ("session lookup (ISessionService.GetAsync)", () => server.Sessions.GetAsync(id, cancellationToken)),
            ("lab lookup (ILabCatalog.GetAsync)", () => labs.GetAsync(server.Session.LabName, cancellationToken)),
            ("port stream (OpenPortStreamAsync: Podman container inspect + TCP connect)", async () =>
            {
                await using var stream = await server.Sessions.OpenPortStreamAsync(id, node, port, cancellationToken);
            }),
        ];

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Per-request steps of the web-port gateway, each called {Calls} times alone, one after the other:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| step | p50 ms | p99 ms |");
        await output.WriteLineAsync("|---|---:|---:|");
        foreach (var (name, step) in steps)
        {
            var samples = new Samples(name);
            for (var call = 0; call < Calls + 20; call++)
            {
                var started = Stopwatch.GetTimestamp();
                await step();
                if (call >= 20)
                {
                    samples.Add(Stopwatch.GetElapsedTime(started));
                }
            }

            await output.WriteLineAsync($"| {name} | {samples.Percentile(0.5):0.000} | {samples.Percentile(0.99):0.000} |");
        }
    }
}
