using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>
/// A host service a node must never reach: answers every connection with a small HTTP page holding a marker, and
/// counts the connections it accepted, so a test sees both what the node got and what the host saw.
/// </summary>
public sealed class HostListener : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private int accepted;

    public HostListener(IPAddress address, string marker)
    {
        Marker = marker;
        listener = new TcpListener(address, 0);
        if (address.Equals(IPAddress.IPv6Any))
        {
            listener.Server.DualMode = true;
        }

        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = ServeAsync();
    }

    public int Port { get; }
    public string Marker { get; }
    public int Accepted => Volatile.Read(ref accepted);

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var page = Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Length: {Marker.Length}\r\nConnection: close\r\n\r\n{Marker}");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref accepted);
                await client.GetStream().WriteAsync(page, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
