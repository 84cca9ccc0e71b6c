using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// One open gateway connection, as the registry sees it: anyone (the session check, a revoked sign-in, server shutdown,
/// the connection's own pumps) may ask it to close; the first reason wins. <see cref="Closing"/> fires at once and stops
/// reading the terminal; <see cref="Aborting"/> fires a second later and abandons a send to a client that does not read.
/// <see cref="Owner"/> is the credential that opened it: when that ends, the connection closes. <see cref="Kind"/> (an
/// <see cref="AccessKinds"/> value) tags its metrics.
/// </summary>
internal sealed class GatewayConnection(string sessionId, string node, SignIn owner, string kind = AccessKinds.Terminal) : IDisposable
{
    private static readonly TimeSpan AbortDelay = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource closing = new();
    private readonly CancellationTokenSource aborting = new();
    private GatewayClose? close;

    public string SessionId { get; } = sessionId;
    public string Node { get; } = node;
    public SignIn Owner { get; } = owner;
    public string Kind { get; } = kind;

    /// <summary>Set by <see cref="GatewayConnections.Add"/>; counts the bytes the bridges move.</summary>
    public Observability.LabMetrics? Metrics { get; set; }

    public void Transferred(bool toNode, long bytes) => Metrics?.Transferred(Kind, toNode, bytes);
    public CancellationToken Closing => closing.Token;
    public CancellationToken Aborting => aborting.Token;
    public GatewayClose? Close => Volatile.Read(ref close);

    /// <summary>Called when the owner's input reaches the node (keystrokes, pointer): learner activity for the idle timeout.</summary>
    public Action? OnInput { get; set; }

    public void RequestClose(GatewayClose reason)
    {
        if (Interlocked.CompareExchange(ref close, reason, null) is not null)
        {
            return;
        }

        try
        {
            closing.Cancel();
            aborting.CancelAfter(AbortDelay);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended while being asked to close.
        }
    }

    public void Dispose()
    {
        closing.Dispose();
        aborting.Dispose();
    }
}
