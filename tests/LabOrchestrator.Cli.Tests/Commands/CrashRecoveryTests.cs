using System.Diagnostics;
using System.Text.Json;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>
/// SIGKILL of a labctl process at points of an operation, then one <c>labctl session reconcile</c>: nothing with the
/// session's label is left in Podman and the session is in a true state (Failed or Stopped, so no quota counts it).
/// A case is an operation run in a child labctl, the observable point to kill it at, and the state it must end in:
/// add pause, reset or pool refill as one more <see cref="Case"/> each.
/// </summary>
[Collection(CrashRecoveryCollection.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly Labctl labctl = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => labctl.Dispose();

    /// <summary>Prepares the session (null: the child makes it), the child's arguments, when to kill it, the end state.</summary>
    public sealed record Case(
        string Name,
        bool NeedsRunningSession,
        Func<string?, string[]> ChildArgs,
        Func<CrashRecoveryTests, string, Task<bool>> KillWhen,
        string ExpectedState);

    public static readonly TheoryData<string> Cases = new(All.Select(c => c.Name));

    private static IEnumerable<Case> All =>
    [
        new("start, once the session is Starting", false, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (t, id) => await t.StateAsync(id) == "Starting", "Failed"),
        new("start, once a network exists", false, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (_, id) => (await PodmanAsync("network", "ls", "-q", "--filter", Label(id))).Length > 0, "Failed"),
        new("start, once a pod exists", false, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (_, id) => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Length > 0, "Failed"),
        new("stop, once the session is Stopping", true, id => ["session", "stop", id!],
            async (t, id) => await t.StateAsync(id) == "Stopping", "Stopped"),
        // Killed after the reset removed the node's pod and before it made it again: a Running session missing a node.
        new("reset, once the node's pod is gone", true, id => ["session", "reset", id!, "--node", "client"],
            async (_, id) => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, "Failed"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reconcile_AfterLabctlWasKilled_LeavesNoOrphansAndATrueState(string name)
    {
        var crash = All.Single(c => c.Name == name);
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        string? sessionId = null;
        if (crash.NeedsRunningSession)
        {
            var started = await labctl.RunAsync("session", "start", "two-hosts", "--user", "crash", "--quiet");
            Assert.True(started.ExitCode == 0, started.ToString());
            sessionId = started.Out.Trim();
        }

        using var child = StartLabctl(crash.ChildArgs(sessionId));
        try
        {
            sessionId ??= await NewestSessionAsync();
            await WaitUntilAsync(() => crash.KillWhen(this, sessionId));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);

            // Nothing else works on this database, so a heartbeat of any age is a dead one.
            var reconcile = await labctl.RunAsync("session", "reconcile", "--stale-after", "0s");

            Assert.True(reconcile.ExitCode == 0, reconcile.ToString());
            Assert.Equal(crash.ExpectedState, await StateAsync(sessionId));
            Assert.Empty(await LeftoversAsync(sessionId));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            if (sessionId is not null)
            {
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }

    public static readonly TheoryData<string> ServerCases = new("start, once a pod exists", "stop, once the session is Stopping");

    /// <summary>
    /// The same for the server: <c>labctl serve</c> SIGKILLed while it starts or stops a session for a learner's API call,
    /// then started again on the same database. Its reconciler (short heartbeats here, so a dead owner is seen at once)
    /// must leave nothing in Podman and the session Failed or Stopped.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServerCases))]
    public async Task Restart_AfterTheServerWasKilled_LeavesNoOrphansAndATrueState(string name)
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        var stopping = name.StartsWith("stop", StringComparison.Ordinal);
        var (server, address) = await StartServerAsync();
        string? sessionId = null;
        try
        {
            using var admin = await SignInAsync(address);
            var start = await admin.PostAsync("/api/sessions", JsonContent("{\"lab\":\"two-hosts\"}"), Ct);
            Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync(Ct));
            sessionId = JsonDocument.Parse(await start.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
            var id = sessionId;
            if (stopping)
            {
                await WaitUntilAsync(async () => await StateAsync(id) == "Running");
                _ = admin.PostAsync($"/api/sessions/{id}/stop", null, Ct);
                await WaitUntilAsync(async () => await StateAsync(id) == "Stopping");
            }
            else
            {
                await WaitUntilAsync(async () => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Length > 0);
            }

            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(Ct);
            server.Dispose();
            (server, _) = await StartServerAsync();

            try
            {
                // A restart starts its own Podman service and migrates first; on a loaded machine that takes a while.
                await WaitUntilAsync(async () => await StateAsync(id) is "Failed" or "Stopped", TimeSpan.FromMinutes(5));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"Still {await StateAsync(id)} after the restart. The server said:\n{string.Join('\n', serverOutput)}");
            }

            Assert.Equal(stopping ? "Stopped" : "Failed", await StateAsync(id));
            Assert.Empty(await LeftoversAsync(id));
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }

            server.Dispose();
            if (sessionId is not null)
            {
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }

    private const string AdminPassword = "crash-test-admin-password-1";

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> serverOutput = new();

    private async Task<(Process Server, Uri Address)> StartServerAsync()
    {
        var server = StartLabctl(["serve", "--urls", "http://127.0.0.1:0", "--skip-host-checks"], new Dictionary<string, string>
        {
            ["Auth__AdminPassword"] = AdminPassword,
            ["LabOrchestrator__Recovery__HeartbeatInterval"] = "00:00:01",
            ["LabOrchestrator__Recovery__HeartbeatTimeout"] = "00:00:03",
            ["LabOrchestrator__Recovery__ReconcileInterval"] = "00:00:02",
        });
        var serving = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && System.Text.RegularExpressions.Regex.Match(text, @"Serving on (http://[^\s,]+)") is { Success: true } match)
            {
                serving.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        server.OutputDataReceived += (_, line) => serverOutput.Enqueue(line.Data ?? "");
        server.ErrorDataReceived += (_, line) => serverOutput.Enqueue(line.Data ?? "");
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return (server, await serving.Task.WaitAsync(Deadline, Ct));
    }

    /// <summary>The first admin, signed in as a browser would be: its cookie and the anti-forgery header.</summary>
    private static async Task<HttpClient> SignInAsync(Uri address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = address };
        var login = await client.PostAsync("/api/auth/login", JsonContent($"{{\"userId\":\"admin\",\"password\":\"{AdminPassword}\"}}"), Ct);
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync(Ct));
        var csrf = JsonDocument.Parse(await login.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("csrfToken").GetString();
        client.DefaultRequestHeaders.Add("X-CSRF-Token", csrf);
        return client;
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private Process StartLabctl(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labctl.dll"));
        info.ArgumentList.Add("--database");
        info.ArgumentList.Add(labctl.DatabasePath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("labctl did not start.");
    }

    private async Task<string> NewestSessionAsync()
    {
        string? id = null;
        await WaitUntilAsync(async () => (id = (await SessionsAsync()).LastOrDefault().Id) is not null);
        return id!;
    }

    private async Task<string?> StateAsync(string sessionId) =>
        (await SessionsAsync()).Where(s => s.Id == sessionId).Select(s => s.State).SingleOrDefault();

    private async Task<List<(string Id, string State)>> SessionsAsync()
    {
        var list = await labctl.RunAsync("session", "list", "--all", "--output", "json");
        if (list.ExitCode != 0)
        {
            // The child may be migrating the new database at this very moment.
            return [];
        }

        using var json = JsonDocument.Parse(list.Out);
        return json.RootElement.EnumerateArray().Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("state").GetString()!)).ToList();
    }

    private static string Label(string sessionId) => $"label=lab-orchestrator.io/session={sessionId}";

    /// <summary>Everything Podman holds with the session's label, asked of Podman itself rather than of the engine.</summary>
    private static async Task<string> LeftoversAsync(string sessionId) =>
        string.Concat(
            await PodmanAsync("pod", "ps", "-q", "--filter", Label(sessionId)),
            await PodmanAsync("ps", "-aq", "--filter", Label(sessionId)),
            await PodmanAsync("network", "ls", "-q", "--filter", Label(sessionId)),
            await PodmanAsync("volume", "ls", "-q", "--filter", Label(sessionId))).Trim();

    private static async Task<string> PodmanAsync(params string[] args)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return output.Trim();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (deadline ?? Deadline))
            {
                throw new TimeoutException("The operation never reached the point to kill it at.");
            }

            await Task.Delay(20, Ct);
        }
    }
}
