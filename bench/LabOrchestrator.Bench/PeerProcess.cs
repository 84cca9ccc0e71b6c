using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LabOrchestrator.Bench;

/// <summary>A peer program the benchmark runs beside the gateway (configurable-http-proxy, websockify); killed on dispose.</summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> stderr;
    private readonly Task<string> stdout;

    private PeerProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public string Name { get; }

    /// <summary>Starts <paramref name="fileName"/> and waits until it accepts TCP connections on <paramref name="port"/> of 127.0.0.1.</summary>
    public static async Task<PeerProcess> StartAsync(string name, string fileName, IEnumerable<string> args, int port, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var peer = new PeerProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start."));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            while (true)
            {
                if (peer.process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with {peer.process.ExitCode}: {(await peer.stderr).Trim()} {(await peer.stdout).Trim()}");
                }

                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                    return peer;
                }
                catch (SocketException)
                {
                    await Task.Delay(100, timeout.Token);
                }
            }
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 (free when asked; good enough for a benchmark).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }
}
