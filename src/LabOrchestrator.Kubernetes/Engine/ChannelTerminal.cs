using System.Globalization;
using System.Text;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>A shell with a terminal over exec's channels: keystrokes on stdin, the screen on stdout, sizes on the resize channel.</summary>
internal sealed class ChannelTerminal(ChannelConnection connection) : ITerminalStream
{
    public Stream Input { get; } = new ChannelWriteStream(connection, ChannelConnection.Stdin);

    public Stream Output { get; } = connection.Output;

    public Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) =>
        connection.SendAsync(ChannelConnection.Resize, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"Width\":{columns},\"Height\":{rows}}}")), cancellationToken);

    /// <summary>Closing the connection hangs up the terminal: the kubelet closes the pty and the shell gets SIGHUP.</summary>
    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
