using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>Desktops through the gateway, against a real lab-desktop node (TigerVNC) on Podman.</summary>
[Collection(PodmanSessions.Name)]
public sealed class DesktopGatewayTests
{
    private const string LabYaml = """
        name: desktop
        nodes:
          - name: workstation
            image: localhost/lab-desktop:latest
            access:
              terminal: true
              desktop: true
          - name: server
            image: localhost/lab-base:latest
        limits:
          duration: 30m
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Desktop_PassesTheRfbStreamUnchanged_WatchersCannotType_AndStoppingClosesIt()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, learnerToken) = await server.UserAsync("lea", Roles.Learner, Ct);
        var (_, instructorToken) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (_, otherToken) = await server.UserAsync("bob", Roles.Learner, Ct);
        await server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(LabYaml, "desktop.yaml", null), publishIfNew: true, Ct);
        var sessions = server.Services.GetRequiredService<ISessionService>();
        var id = (await sessions.StartAsync("desktop", new UserRef("lea", "LEA"), cancellationToken: Ct)).Id;
        var url = new Uri(server.Address, $"/gateway/sessions/{id}/nodes/workstation/desktop").ToString().Replace("http", "ws", StringComparison.Ordinal);

        // The owner's viewer speaks RFB with the desktop itself: banner, security None, ServerInit with its size and name.
        using var owner = await ConnectAsync(url, learnerToken);
        var init = await HandshakeAsync(owner);
        Assert.Equal((1280, 800, "lab"), init);

        // Clipboard text from the owner's viewer reaches the desktop's X clipboard.
        await SendCutTextAsync(owner, "pasted by the owner");
        Assert.Equal("pasted by the owner", await ClipboardAsync(sessions, id, expected: "pasted by the owner"));

        // An instructor watches: the same desktop, but their clipboard text (like their keys and pointer) never arrives.
        using (var watcher = await ConnectAsync(url, instructorToken))
        {
            Assert.Equal(init, await HandshakeAsync(watcher));
            await SendCutTextAsync(watcher, "typed by the watcher");
            await SendAsync(watcher, [3, 0, 0, 0, 0, 0, 0, 16, 0, 16]);
            Assert.Equal(0, (await ReceiveAsync(watcher, 1))[0]); // a FramebufferUpdate still comes back
            Assert.Equal("pasted by the owner", await ClipboardAsync(sessions, id, expected: "pasted by the owner"));
        }

        // Other learners and nodes without a desktop get nothing.
        Assert.Equal(HttpStatusCode.Forbidden, await TerminalClient.RefusalAsync(new Uri(url), otherToken, Ct));
        Assert.Equal(HttpStatusCode.Forbidden, await TerminalClient.RefusalAsync(new Uri(url.Replace("workstation", "server", StringComparison.Ordinal)), learnerToken, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await TerminalClient.RefusalAsync(new Uri(url), bearer: null, Ct));

        // Closing the browser side ends the connection to the VNC server: none is left open in the node.
        await owner.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        await WaitForAsync(async () => (await VncConnectionsAsync()) == 0);

        // When the desktop ends the connection (here: it disconnects its viewers), the browser side is closed too.
        using (var second = await ConnectAsync(url, learnerToken))
        {
            await HandshakeAsync(second);
            Assert.Equal(1, await VncConnectionsAsync());
            await sessions.ExecAsync(id, "workstation", AsLearner("vncconfig", "-disconnect"), TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, await ClosedAsync(second));
        }

        // Stopping the session closes open desktops with code 4000.
        using var last = await ConnectAsync(url, learnerToken);
        await HandshakeAsync(last);
        Assert.Equal(HttpStatusCode.OK, (await learner.PostAsync($"/api/sessions/{id}/stop", null, Ct)).StatusCode);
        Assert.Equal((WebSocketCloseStatus)GatewayClose.SessionStoppedCode, await ClosedAsync(last));
    }

    private static async Task<ClientWebSocket> ConnectAsync(string url, string bearer)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        socket.Options.AddSubProtocol("binary");
        await socket.ConnectAsync(new Uri(url), Ct);
        Assert.Equal("binary", socket.SubProtocol);
        return socket;
    }

    /// <summary>RFB 3.8 up to ServerInit; returns the framebuffer size and desktop name.</summary>
    private static async Task<(int Width, int Height, string Name)> HandshakeAsync(ClientWebSocket socket)
    {
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await ReceiveAsync(socket, 12)));
        await SendAsync(socket, "RFB 003.008\n"u8.ToArray());
        var types = await ReceiveAsync(socket, 1);
        var list = await ReceiveAsync(socket, types[0]);
        Assert.Contains((byte)1, list);
        await SendAsync(socket, [1]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(await ReceiveAsync(socket, 4)));
        await SendAsync(socket, [1]);
        var serverInit = await ReceiveAsync(socket, 24);
        var name = await ReceiveAsync(socket, (int)BinaryPrimitives.ReadUInt32BigEndian(serverInit.AsSpan(20)));
        return (BinaryPrimitives.ReadUInt16BigEndian(serverInit), BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(2)), Encoding.UTF8.GetString(name));
    }

    private static Task SendCutTextAsync(ClientWebSocket socket, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var message = new byte[8 + bytes.Length];
        message[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), bytes.Length);
        bytes.CopyTo(message, 8);
        return SendAsync(socket, message);
    }

    private static Task SendAsync(ClientWebSocket socket, byte[] bytes) =>
        socket.SendAsync(bytes, WebSocketMessageType.Binary, true, Ct);

    /// <summary>Exactly <paramref name="count"/> bytes of the stream, whatever the frames.</summary>
    private static async Task<byte[]> ReceiveAsync(ClientWebSocket socket, int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(filled), Ct);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            filled += result.Count;
        }

        return buffer;
    }

    private static async Task<WebSocketCloseStatus?> ClosedAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, Ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    /// <summary>The desktop's clipboard as the learner's X session has it, once it holds <paramref name="expected"/> (or after 10 s).</summary>
    private static async Task<string> ClipboardAsync(ISessionService sessions, string id, string expected)
    {
        var text = "";
        await WaitForAsync(async () =>
        {
            var result = await sessions.ExecAsync(id, "workstation", AsLearner("xclip", "-o", "-selection", "clipboard"), TimeSpan.FromSeconds(10), Ct);
            text = result.StandardOutput;
            return text == expected;
        }, throwOnTimeout: false);
        return text;
    }

    /// <summary>A command run as the desktop's user on its display.</summary>
    private static string[] AsLearner(params string[] command) =>
        ["setpriv", "--reuid=learner", "--regid=learner", "--init-groups", "env", "DISPLAY=:0", .. command];

    /// <summary>
    /// How many connections desktops' VNC servers have open on this host. The gateway connects to the socket from the
    /// host, so the accepted ends live in the host's network namespace, named by the path the desktop bound.
    /// </summary>
    private static async Task<int> VncConnectionsAsync()
    {
        using var ss = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ss", "-xH state connected") { RedirectStandardOutput = true })!;
        var output = await ss.StandardOutput.ReadToEndAsync(Ct);
        await ss.WaitForExitAsync(Ct);
        return output.Split('\n').Count(line => line.Contains("/.lab-desktop/vnc.sock", StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, bool throwOnTimeout = true)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.False(throwOnTimeout, "The condition did not hold within 10 s.");
                return;
            }

            await Task.Delay(100, Ct);
        }
    }
}
