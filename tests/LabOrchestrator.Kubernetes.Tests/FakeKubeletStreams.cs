using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using LabOrchestrator.Testing.EngineContract;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// The streaming side of a cluster, which needs a kubelet and cannot run here: a loopback Kestrel server that answers
/// <c>pods/exec</c> in the channel protocol (v5 and v4, or only v4), <c>pods/portforward</c>, KubeVirt's
/// <c>console</c> and <c>vnc</c> in <c>plain.kubevirt.io</c>, and KubeVirt's <c>pause</c> and <c>unpause</c> PUTs (the test
/// API server has no KubeVirt aggregated API; see <see cref="KubeVirtAction"/>). Its "processes": <c>echo WORDS</c> prints them,
/// <c>exit N</c> ends with that code, <c>sleep</c> never ends, <c>missing</c> cannot start, <c>sh -c SCRIPT</c> does what
/// <see cref="FakeShell"/> says (a script that sleeps runs until the client goes away); a terminal echoes what is typed.
/// Port-forward echoes what is sent, or, for a port outside <see cref="ListeningPorts"/>, says on the error channel that
/// nothing listens there and closes, as a kubelet does. It records what clients did, so tests can assert it.
/// </summary>
internal sealed class FakeKubeletStreams : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeKubeletStreams(WebApplication app, string token)
    {
        this.app = app;
        Token = token;
    }

    public string Token { get; }
    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>The subprotocols this fake accepts for exec, in order of preference.</summary>
    public string[] ExecProtocols { get; set; } = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    /// <summary>The ports something listens on in every pod; null when every port answers.</summary>
    public IReadOnlySet<int>? ListeningPorts { get; set; }

    /// <summary>
    /// Answers KubeVirt's <c>pause</c> and <c>unpause</c> (namespace, VMI, action → status code and body), as virt-api
    /// does; null: 404, as a cluster without KubeVirt.
    /// </summary>
    public Func<string, string, string, Task<(int Status, string Body)>>? KubeVirtAction { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<string> NegotiatedProtocols { get; } = new();
    public ConcurrentQueue<string> Resizes { get; } = new();
    public TaskCompletionSource StdinClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<string> StreamEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeKubeletStreams> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeKubeletStreams(app, "fake-token-" + Guid.NewGuid().ToString("N"));
        app.UseWebSockets();
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var path = context.Request.Path.Value ?? "";
        if (HttpMethods.IsPut(context.Request.Method) && (path.EndsWith("/pause", StringComparison.Ordinal) || path.EndsWith("/unpause", StringComparison.Ordinal)))
        {
            // KubeVirt's pause and unpause: subresources.kubevirt.io/v1/namespaces/NS/virtualmachineinstances/NAME/ACTION.
            var parts = path.Split('/');
            var (status, body) = KubeVirtAction is { } action ? await action(parts[^4], parts[^2], parts[^1]) : (StatusCodes.Status404NotFound, "no KubeVirt");
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (path.EndsWith("/console", StringComparison.Ordinal) || path.EndsWith("/vnc", StringComparison.Ordinal))
        {
            if (!offered.Contains("plain.kubevirt.io"))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var plain = await context.WebSockets.AcceptWebSocketAsync("plain.kubevirt.io");
            if (path.EndsWith("/vnc", StringComparison.Ordinal))
            {
                await plain.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"), WebSocketMessageType.Binary, true, CancellationToken.None);
            }

            await EchoAsync(plain, channel: null);
            return;
        }

        var protocol = path.EndsWith("/portforward", StringComparison.Ordinal)
            ? offered.FirstOrDefault(p => p == "v4.channel.k8s.io")
            : ExecProtocols.FirstOrDefault(offered.Contains);
        if (protocol is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        NegotiatedProtocols.Enqueue(protocol);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        if (path.EndsWith("/portforward", StringComparison.Ordinal))
        {
            var port = ushort.Parse(context.Request.Query["ports"]!, System.Globalization.CultureInfo.InvariantCulture);
            await socket.SendAsync(new byte[] { 0, (byte)(port & 0xff), (byte)(port >> 8) }, WebSocketMessageType.Binary, true, CancellationToken.None);
            await socket.SendAsync(new byte[] { 1, (byte)(port & 0xff), (byte)(port >> 8) }, WebSocketMessageType.Binary, true, CancellationToken.None);
            if (ListeningPorts is { } listening && !listening.Contains(port))
            {
                // The kubelet's words when nothing listens on the port.
                await SendAsync(socket, 1, $"error forwarding port {port} to pod {path.Split('/')[^2]}: failed to connect to localhost:{port} inside namespace: connection refused");
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            await EchoAsync(socket, channel: 0);
            return;
        }

        var command = context.Request.Query["command"].ToArray();
        if (context.Request.Query["tty"] == "true")
        {
            await EchoAsync(socket, channel: 1);
            return;
        }

        switch (command.FirstOrDefault())
        {
            case "echo":
                await SendAsync(socket, 1, string.Join(' ', command.Skip(1)) + "\n");
                await SendAsync(socket, 2, "to stderr\n");
                await SendAsync(socket, 3, "{\"metadata\":{},\"status\":\"Success\"}");
                break;
            case "exit":
                await SendAsync(socket, 3, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + command[1] + "\"}]}}");
                break;
            case "sh":
                var (result, duration) = FakeShell.Run(command.Select(c => c ?? "").ToList());
                if (duration > TimeSpan.Zero)
                {
                    // A process that runs until the client goes away (or its sleep ends, which no test waits for).
                    await EchoAsync(socket, channel: 1);
                    return;
                }

                await SendAsync(socket, 1, result.StandardOutput);
                await SendAsync(socket, 2, result.StandardError);
                await SendAsync(socket, 3, result.ExitCode == 0
                    ? "{\"metadata\":{},\"status\":\"Success\"}"
                    : "{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + result.ExitCode + "\"}]}}");
                break;
            case "missing":
                await SendAsync(socket, 3, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"OCI runtime exec failed: exec: \\\"missing\\\": executable file not found in $PATH\"}");
                break;
            default:
                // A process that runs until the client goes away.
                await EchoAsync(socket, channel: 1);
                return;
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    /// <summary>Sends back what arrives (on <paramref name="channel"/>, or raw when null) until the client closes.</summary>
    private async Task EchoAsync(WebSocket socket, byte? channel)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    StreamEnded.TrySetResult("closed");
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                if (channel is null)
                {
                    await socket.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Binary, true, CancellationToken.None);
                    continue;
                }

                var incoming = buffer[0];
                if (incoming == 4)
                {
                    Resizes.Enqueue(Encoding.UTF8.GetString(buffer, 1, result.Count - 1));
                }
                else if (incoming == 255 && result.Count > 1 && buffer[1] == 0)
                {
                    StdinClosed.TrySetResult();
                }
                else if (incoming == 0)
                {
                    buffer[0] = channel.Value;
                    await socket.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }
        }
        catch (WebSocketException)
        {
            StreamEnded.TrySetResult("aborted");
        }
    }

    private static Task SendAsync(WebSocket socket, byte channel, string text) =>
        socket.SendAsync(new byte[] { channel }.Concat(Encoding.UTF8.GetBytes(text)).ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
}
