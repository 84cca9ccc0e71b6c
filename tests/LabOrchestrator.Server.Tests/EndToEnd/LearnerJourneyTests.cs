using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Tests.Accounts;
using LabOrchestrator.Server.Tests.Gateway;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.EndToEnd;

/// <summary>What a learner does in a browser, over real HTTP, cookies and WebSockets, against real Podman.</summary>
[Collection("Podman sessions")]
public sealed class LearnerJourneyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Learner_LogsInStartsTwoHostsFollowsEventsRunsHostnameInTerminalAndStops()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await PrepareAsync(server);
        var cookies = new CookieContainer();
        using var learner = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.Address };
        var csrf = await AccountsServer.LoginAsync(learner, "lena", AccountsServer.UserPassword, Ct);

        var labs = await learner.GetFromJsonAsync<JsonElement>("/api/labs", Ct);
        Assert.Contains(labs.EnumerateArray(), l => l.GetProperty("name").GetString() == "two-hosts");

        using var start = await learner.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/sessions", new { lab = "two-hosts" }, csrf), Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        var events = await SessionsApi.FollowAsync(learner, id, Ct);
        Assert.Equal("Running", events[^1].GetProperty("state").GetString());

        var terminalUri = new Uri(server.Address, $"/gateway/sessions/{id}/nodes/client/terminal").ToString().Replace("http://", "ws://", StringComparison.Ordinal);
        await using var terminal = await TerminalClient.ConnectWithCookiesAsync(new Uri(terminalUri), cookies, Ct);
        await terminal.SendAsync("hostname\r", Ct);
        // The prompt says "root@client:/#"; only the command's output puts the name alone before a line end.
        Assert.True(await terminal.WaitForAsync("client\r\n", Ct), terminal.Output);

        using var stop = await learner.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/stop") { Headers = { { "X-CSRF-Token", csrf } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var session = await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal("Stopped", session.GetProperty("state").GetString());
        // The open terminal is closed with the gateway's "session stopped" code.
        Assert.Equal((WebSocketCloseStatus)4000, await terminal.WaitForCloseAsync(Ct));
        var left = await server.Services.GetRequiredService<ILabEngines>().Default.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = id }, Ct);
        Assert.Empty(left);
    }

    /// <summary>An admin creates the learner and publishes two-hosts, through the API with the cookie, as the web app will.</summary>
    private static async Task PrepareAsync(ServerHost server)
    {
        using var admin = server.Anonymous();
        var csrf = await AccountsServer.LoginAsync(admin, "admin", AccountsServer.AdminPassword, Ct);
        using var user = await admin.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/users",
            new { id = "lena", displayName = "Lena", password = AccountsServer.UserPassword, role = "learner" }, csrf), Ct);
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var yaml = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Lab("two-hosts"), "lab.yaml"), Ct);
        using var put = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/labs/two-hosts")
        {
            Content = new StringContent(yaml, Encoding.UTF8, "application/yaml"),
            Headers = { { "X-CSRF-Token", csrf } },
        }, Ct);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
        using var publish = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/labs/two-hosts/publish") { Headers = { { "X-CSRF-Token", csrf } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
    }
}
