using System.Net.WebSockets;
using System.Text;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Bench;

/// <summary>
/// One terminal, reached either through the gateway's WebSocket or directly through the engine's exec stream, with a
/// reader that counts what arrives. Both contenders use the same reader shape and buffer size.
/// </summary>
internal abstract class GatewayProbe : IAsyncDisposable
{
    protected const int BufferSize = 64 * 1024;
    private readonly SemaphoreSlim arrived = new(0);
    private readonly StringBuilder recent = new();
    private long received;
    private volatile bool capturing = true;
    private Task? reading;

    public long Received => Interlocked.Read(ref received);

    public static async Task<GatewayProbe> DirectAsync(ITerminalStream terminal) => await new DirectProbe(terminal).StartAsync();

    public static async Task<GatewayProbe> GatewayAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, cancellationToken);
        return await new WebSocketProbe(socket).StartAsync();
    }

    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> data);

    public ValueTask SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Puts the terminal in raw mode without echo and runs cat: every byte sent comes back once.</summary>
    public async Task StartEchoAsync()
    {
        await SendAsync("stty raw -echo; echo RE''ADY; exec cat\r");
        await WaitForTextAsync("READY");
        await Task.Delay(300);
        capturing = false;
    }

    public void StopCapturing() => capturing = false;

    public async Task WaitForTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            lock (recent)
            {
                if (recent.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            await arrived.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Waits until what arrived so far ends in a shell's prompt (<c>$ </c> or <c># </c>, colour codes aside).</summary>
    public async Task WaitForPromptAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            lock (recent)
            {
                var text = System.Text.RegularExpressions.Regex.Replace(recent.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "");
                if (text.EndsWith("$ ", StringComparison.Ordinal) || text.EndsWith("# ", StringComparison.Ordinal))
                {
                    return;
                }
            }

            await arrived.WaitAsync(timeout.Token);
        }
    }

    public async Task WaitForBytesAsync(long total)
    {
        while (Interlocked.Read(ref received) < total)
        {
            await arrived.WaitAsync();
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (reading is not null)
        {
            await reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        arrived.Dispose();
    }

    protected abstract ValueTask<int> ReadAsync(Memory<byte> buffer);

    private Task<GatewayProbe> StartAsync()
    {
        reading = Task.Run(ReadLoopAsync);
        return Task.FromResult(this);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await ReadAsync(buffer);
                if (read <= 0)
                {
                    return;
                }

                if (capturing)
                {
                    lock (recent)
                    {
                        recent.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                }

                Interlocked.Add(ref received, read);
                arrived.Release();
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The terminal closed.
        }
    }

    private sealed class DirectProbe(ITerminalStream terminal) : GatewayProbe
    {
        public override ValueTask SendAsync(ReadOnlyMemory<byte> data) => terminal.Input.WriteAsync(data);

        public override async ValueTask DisposeAsync()
        {
            await terminal.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override ValueTask<int> ReadAsync(Memory<byte> buffer) => terminal.Output.ReadAsync(buffer);
    }

    private sealed class WebSocketProbe(ClientWebSocket socket) : GatewayProbe
    {
        public override ValueTask SendAsync(ReadOnlyMemory<byte> data) => socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

        public override async ValueTask DisposeAsync()
        {
            socket.Abort();
            socket.Dispose();
            await base.DisposeAsync();
        }

        protected override async ValueTask<int> ReadAsync(Memory<byte> buffer)
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return 0;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    return result.Count;
                }
            }
        }
    }
}
