using System.Net.Http.Headers;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Server.Tests.Support;

/// <summary>
/// The real server on Kestrel at 127.0.0.1 on a free port, with its own database and the real Podman engine. The
/// database is a SQLite file in its folder, or a fresh PostgreSQL database when the settings' Database:Provider (else
/// LABO_TEST_DATABASE) says postgresql. Stops every session it ran, drops its database and deletes its folder when disposed.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string folder;
    private readonly TestDatabase database;

    private ServerHost(WebApplication app, string folder, TestDatabase database, Uri address)
    {
        this.app = app;
        this.folder = folder;
        this.database = database;
        Address = address;
    }

    /// <summary>sqlite or postgresql.</summary>
    public string DatabaseProvider => database.Provider;

    public Uri Address { get; }
    public IServiceProvider Services => app.Services;

    public static async Task<ServerHost> StartAsync(IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default) =>
        await StartAsync(settings, replaceServices: null, cancellationToken);

    /// <summary>
    /// The server with <see cref="FakeLabEngine"/> instead of Podman (no host checks) and, when given, a fake clock:
    /// for what does not need real nodes (lifecycle rules, API shapes). <paramref name="moreServices"/> adds services
    /// (a log capture) after the server's own.
    /// </summary>
    public static async Task<ServerHost> StartWithFakeEngineAsync(
        FakeLabEngine engine,
        TimeProvider? clock = null,
        IDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default,
        Action<IServiceCollection>? moreServices = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Server:CheckHost"] = "false" };
        return await StartAsync(all, services =>
        {
            moreServices?.Invoke(services);
            services.RemoveAll<Engines.ILabEngine>();
            services.AddSingleton<Engines.ILabEngine>(engine);
            if (clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            }
        }, cancellationToken);
    }

    private static async Task<ServerHost> StartAsync(IDictionary<string, string?>? settings, Action<IServiceCollection>? replaceServices, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-server-").FullName;
        // A test that names its own SQLite file (to start a second server on it, or to prepare it) gets SQLite.
        var provider = settings?.TryGetValue("Database:Provider", out var chosen) == true && chosen is not null ? chosen
            : settings?.ContainsKey("LabOrchestrator:DatabasePath") == true ? global::LabOrchestrator.Hosting.DatabaseProviders.Sqlite
            : TestDatabase.DefaultProvider;
        var database = await TestDatabase.CreateAsync(provider, folder, cancellationToken);
        try
        {
            var args = new Dictionary<string, string?>(database.Settings)
            {
                ["Server:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                args[key] = value;
            }

            var app = await LabServer.BuildAsync(args.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(), cancellationToken: cancellationToken, replaceServices: replaceServices);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ServerHost(app, folder, database, new Uri(address));
        }
        catch
        {
            await database.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>A client without credentials, that keeps cookies (so it can log in).</summary>
    public HttpClient Anonymous() =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };

    /// <summary>Creates a user with a role and returns a client that authenticates as them with a personal API token.</summary>
    public async Task<(HttpClient Client, string Secret)> UserAsync(string id, string role, CancellationToken cancellationToken = default)
    {
        var accounts = Services.GetRequiredService<IAccountService>();
        await accounts.CreateUserAsync(id, id.ToUpperInvariant(), "correct-horse-battery", role, cancellationToken);
        var token = await accounts.CreateApiTokenAsync(id, "tests", cancellationToken: cancellationToken);
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        return (client, token.Secret);
    }

    /// <summary>Stops the server as Ctrl-C would (hosted services' shutdown runs), leaving its sessions as the shutdown left them.</summary>
    public Task StopServerAsync() => app.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        var sessions = Services.GetRequiredService<ISessionService>();
        foreach (var session in await sessions.ListAsync(new SessionQuery { ActiveOnly = true }, CancellationToken.None))
        {
            await sessions.StopAsync(session.Id, CancellationToken.None);
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
