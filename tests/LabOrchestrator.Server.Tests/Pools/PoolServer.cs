using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Pools;

/// <summary>The server on <see cref="FakeLabEngine"/> and a fake clock, with an admin and pooled labs: for warm pool rules.</summary>
internal sealed class PoolServer : IAsyncDisposable
{
    private PoolServer(ServerHost host, FakeLabEngine engine, FakeTimeProvider clock, HttpClient admin)
    {
        Host = host;
        Engine = engine;
        Clock = clock;
        Admin = admin;
    }

    public ServerHost Host { get; }
    public FakeLabEngine Engine { get; }
    public FakeTimeProvider Clock { get; }
    public HttpClient Admin { get; }

    public static async Task<PoolServer> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? settings = null, FakeLabEngine? engine = null)
    {
        engine ??= new FakeLabEngine();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var all = new Dictionary<string, string?>
        {
            ["Pools:RefillPeriod"] = "00:00:10",
            ["Pools:RetryBackoff"] = "00:00:30",
            ["Pools:MaxRetryBackoff"] = "00:05:00",
            // Refills right after a claim; the delay has its own test.
            ["Pools:RefillDelayAfterClaim"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = await ServerHost.StartWithFakeEngineAsync(engine, clock, all, cancellationToken);
        var (admin, _) = await host.UserAsync("ada", Roles.Admin, cancellationToken);
        return new PoolServer(host, engine, clock, admin);
    }

    /// <summary>A lab of two nodes: 'box' with a generated password, 'peer' without credentials.</summary>
    public static string Lab(string name, int? poolSize, string duration = "1h") => $"""
        name: {name}
        nodes:
          - name: box
            image: localhost/lab-base:latest
            credentials:
              - name: learner
                username: learner
                password: generate
          - name: peer
            image: localhost/lab-base:latest
        limits:
          duration: {duration}
        {(poolSize is { } n ? $"pool:\n  size: {n}" : "")}
        """;

    public async Task PublishAsync(string name, int? poolSize, CancellationToken cancellationToken)
    {
        var put = await LabsApi.PutAsync(Admin, name, Lab(name, poolSize), cancellationToken);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(cancellationToken));
        var publish = await Admin.PostAsync($"/api/labs/{name}/publish", null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
    }

    public async Task<JsonElement> PoolAsync(string lab, CancellationToken cancellationToken) =>
        await Admin.GetFromJsonAsync<JsonElement>($"/api/labs/{lab}/pool", cancellationToken);

    /// <summary>Every active session the pool owns, as an admin sees them.</summary>
    public async Task<List<JsonElement>> PooledAsync(CancellationToken cancellationToken, string? lab = null)
    {
        var all = await Admin.GetFromJsonAsync<JsonElement>("/api/sessions", cancellationToken);
        return all.EnumerateArray()
            .Where(s => s.GetProperty("pooled").GetBoolean() && s.GetProperty("state").GetString() is not ("Stopped" or "Failed"))
            .Where(s => lab is null || s.GetProperty("lab").GetString() == lab)
            .ToList();
    }

    /// <summary>Waits (real time, bounded) until the lab's pool has <paramref name="ready"/> Running sessions and none starting.</summary>
    public async Task WaitForPoolAsync(string lab, int ready, CancellationToken cancellationToken) =>
        await WaitUntilAsync(async () =>
        {
            var pool = await PoolAsync(lab, cancellationToken);
            return pool.GetProperty("ready").GetInt32() == ready && pool.GetProperty("starting").GetInt32() == 0;
        }, $"the pool of {lab} to hold {ready} ready sessions", cancellationToken);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }
        }
    }

    public async Task<(HttpClient Client, string Id)> LearnerAsync(string id, CancellationToken cancellationToken)
    {
        var (client, _) = await Host.UserAsync(id, Roles.Learner, cancellationToken);
        return (client, id);
    }

    /// <summary>Waits for one ready pool session of 'pooled' and claims it as a new learner <paramref name="learner"/>.</summary>
    public async Task<Claimed> PoolStartAndClaimAsync(string learner, CancellationToken cancellationToken)
    {
        var (client, _) = await LearnerAsync(learner, cancellationToken);
        await WaitForPoolAsync("pooled", 1, cancellationToken);
        var start = await client.PostAsJsonAsync("/api/sessions", new { lab = "pooled" }, cancellationToken);
        var claimed = await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.True(claimed.TryGetProperty("claimedAt", out _), "The start claimed no pool session.");
        return new Claimed(client, claimed.GetProperty("id").GetString()!);
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A claimed session and its learner's client.</summary>
    internal sealed record Claimed(HttpClient Learner, string Id);
}
