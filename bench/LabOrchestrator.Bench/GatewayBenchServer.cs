using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Bench;

/// <summary>
/// The real server (Kestrel on 127.0.0.1, SQLite, Podman) in this process with one running session of a one-node lab
/// like hello-linux but with room for many shells, and an access token URL for that node's terminal.
/// </summary>
internal sealed class GatewayBenchServer : IAsyncDisposable
{
    private const string LabYaml = """
        name: gateway-bench
        title: Gateway benchmark
        nodes:
          - name: linux
            image: localhost/lab-base:latest
            access:
              terminal: true
            resources:
              cpu: "2"
              memory: 8Gi
        limits:
          duration: 1h
          idleTimeout: 1h
        """;

    private readonly WebApplication app;
    private readonly string folder;

    private GatewayBenchServer(WebApplication app, string folder, Session session, Uri terminalUrl)
    {
        this.app = app;
        this.folder = folder;
        Session = session;
        TerminalUrl = terminalUrl;
    }

    public Session Session { get; }
    public Uri TerminalUrl { get; }
    public ISessionService Sessions => app.Services.GetRequiredService<ISessionService>();

    public static async Task<GatewayBenchServer> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-gateway-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "lab.yaml"), LabYaml, cancellationToken);
        var app = await LabServer.BuildAsync(
            ["--Server:Urls=http://127.0.0.1:0", $"--LabOrchestrator:DatabasePath={Path.Combine(folder, "bench.db")}", "--Logging:LogLevel:Default=Warning"],
            cancellationToken: cancellationToken);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        await app.Services.GetRequiredService<ILabCatalog>().AddAsync(LabSource.FromPath(folder), cancellationToken);
        var accounts = app.Services.GetRequiredService<IAccountService>();
        await accounts.CreateUserAsync("bench", "Bench", "correct-horse-battery", Roles.Learner, cancellationToken);
        var apiToken = await accounts.CreateApiTokenAsync("bench", "bench", cancellationToken: cancellationToken);
        var session = await app.Services.GetRequiredService<ISessionService>().StartAsync("gateway-bench", new UserRef("bench"), cancellationToken: cancellationToken);
        if (session.State != SessionState.Running)
        {
            throw new InvalidOperationException($"The benchmark session did not run: {session.FailureReason}");
        }

        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken.Secret);
        using var response = await client.PostAsJsonAsync($"/api/sessions/{session.Id}/access", new { lifetimeSeconds = 3600 }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var url = issued.GetProperty("nodes").GetProperty("linux").GetProperty("terminal").GetString()!;
        return new GatewayBenchServer(app, folder, session, new Uri(url));
    }

    public async ValueTask DisposeAsync()
    {
        await Sessions.StopAsync(Session.Id, CancellationToken.None);
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
