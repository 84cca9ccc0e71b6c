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
/// The real server (Kestrel on 127.0.0.1, SQLite, Podman) in this process with one running session of a small lab,
/// a user with an API token who owns it, and (for the default lab, like hello-linux but with room for many shells)
/// an access token URL for that node's terminal.
/// </summary>
internal sealed class GatewayBenchServer : IAsyncDisposable
{
    private const string TerminalLabYaml = """
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

    private GatewayBenchServer(WebApplication app, string folder, Uri address, string apiToken, Session session)
    {
        this.app = app;
        this.folder = folder;
        Address = address;
        ApiToken = apiToken;
        Session = session;
    }

    public Session Session { get; }

    /// <summary>The main listener (API, web app, consoles).</summary>
    public Uri Address { get; }

    /// <summary>The <c>lot_…</c> API token of the session's owner.</summary>
    public string ApiToken { get; }

    public Uri TerminalUrl { get; private set; } = null!;
    public ISessionService Sessions => app.Services.GetRequiredService<ISessionService>();
    public IServiceProvider Services => app.Services;

    /// <summary>The terminal lab, with <see cref="TerminalUrl"/> set.</summary>
    public static async Task<GatewayBenchServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = await StartAsync(TerminalLabYaml, "gateway-bench", cancellationToken);
        try
        {
            var issued = await server.IssueAccessAsync(["terminal"], cancellationToken);
            server.TerminalUrl = new Uri(issued.GetProperty("nodes").GetProperty("linux").GetProperty("terminal").GetString()!);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server, adds the lab in <paramref name="labYaml"/> and starts one session of it (stopped on dispose).</summary>
    public static async Task<GatewayBenchServer> StartAsync(string labYaml, string labName, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-gateway-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "lab.yaml"), labYaml, cancellationToken);
        var app = await LabServer.BuildAsync(
            ["--Server:Urls=http://127.0.0.1:0", $"--LabOrchestrator:DatabasePath={Path.Combine(folder, "bench.db")}", "--Logging:LogLevel:Default=Warning"],
            cancellationToken: cancellationToken);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        await app.Services.GetRequiredService<ILabCatalog>().AddAsync(LabSource.FromPath(folder), cancellationToken);
        var accounts = app.Services.GetRequiredService<IAccountService>();
        await accounts.CreateUserAsync("bench", "Bench", "correct-horse-battery", Roles.Learner, cancellationToken);
        var apiToken = await accounts.CreateApiTokenAsync("bench", "bench", cancellationToken: cancellationToken);
        var session = await app.Services.GetRequiredService<ISessionService>().StartAsync(labName, new UserRef("bench"), cancellationToken: cancellationToken);
        var server = new GatewayBenchServer(app, folder, address, apiToken.Secret, session);
        if (session.State != SessionState.Running)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The benchmark session did not run: {session.FailureReason}");
        }

        return server;
    }

    /// <summary>An HTTP client for the main listener, authorised with the owner's API token.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
        return client;
    }

    /// <summary><c>POST /api/sessions/{id}/access</c> for all nodes with these kinds; the response's JSON.</summary>
    public async Task<JsonElement> IssueAccessAsync(string[] kinds, CancellationToken cancellationToken)
    {
        using var client = CreateApiClient();
        using var response = await client.PostAsJsonAsync($"/api/sessions/{Session.Id}/access", new { kinds, lifetimeSeconds = 3600 }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
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
