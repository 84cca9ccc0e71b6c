using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>A ClientWebSocket on a gateway terminal that collects what it receives, for tests.</summary>
internal sealed class TerminalClient : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly List<string> controls = [];

    private TerminalClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }
    public string Output => output.ToString();
    public IReadOnlyList<string> Controls => controls;
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public static async Task<TerminalClient> ConnectAsync(Uri uri, string? bearer, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        }

        await socket.ConnectAsync(uri, cancellationToken);
        return new TerminalClient(socket);
    }

    /// <summary>Connects as a browser does: with the login cookie (a WebSocket handshake cannot carry other headers from a page).</summary>
    public static async Task<TerminalClient> ConnectWithCookiesAsync(Uri uri, System.Net.CookieContainer cookies, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        await socket.ConnectAsync(uri, cancellationToken);
        return new TerminalClient(socket);
    }

    /// <summary>The HTTP status the handshake was refused with.</summary>
    public static async Task<HttpStatusCode> RefusalAsync(Uri uri, string? bearer, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, cancellationToken));
        return socket.HttpStatusCode;
    }

    public Task SendAsync(string keys, CancellationToken cancellationToken) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(keys), WebSocketMessageType.Binary, true, cancellationToken);

    public Task ControlAsync(string json, CancellationToken cancellationToken) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Receives until the output or a control message contains <paramref name="text"/>, the socket closes, or 20 s pass.</summary>
    public async Task<bool> WaitForAsync(string text, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[16 * 1024];
        while (!Output.Contains(text, StringComparison.Ordinal) && !controls.Any(c => c.Contains(text, StringComparison.Ordinal)))
        {
            if (Socket.State != WebSocketState.Open)
            {
                return false;
            }

            WebSocketReceiveResult result;
            try
            {
                result = await Socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                CloseStatus = result.CloseStatus;
                return false;
            }

            var chunk = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (result.MessageType == WebSocketMessageType.Text)
            {
                controls.Add(chunk);
            }
            else
            {
                output.Append(chunk);
            }
        }

        return true;
    }

    /// <summary>Receives until the server's close frame arrives (or 20 s pass) and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(CancellationToken cancellationToken)
    {
        await WaitForAsync("\0never\0", cancellationToken);
        return CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException)
            {
                // The server may already be gone.
            }
        }

        Socket.Dispose();
    }
}
