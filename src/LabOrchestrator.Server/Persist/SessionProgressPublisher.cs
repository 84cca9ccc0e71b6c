using LabOrchestrator.Engines;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>Keeps the latest picture of a session whose nodes change (a reset) and publishes it on every node change.</summary>
internal sealed class SessionProgressPublisher(SessionEventHub hub, Session initial) : IProgress<NodeStatus>
{
    private readonly Lock gate = new();

    public Session Current { get; private set; } = initial;

    public void Report(NodeStatus value)
    {
        Session next;
        lock (gate)
        {
            Current = next = Current with { Nodes = Current.Nodes.Select(n => n.Node == value.Node ? value : n).ToList() };
        }

        hub.Publish(next);
    }
}
