using LabOrchestrator.Engines;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// One node of a session and its state. <see cref="Message"/> is a plain sentence anyone may read (learners included):
/// what the state means and what to do. <see cref="Detail"/> is the engine's own text, for instructors and admins only.
/// </summary>
internal sealed record SessionNodeResponse(string Name, NodeState State, string? Message, string? Detail = null)
{
    public const string FailedMessage =
        "This machine could not start. Try starting the lab again; if it fails again, please tell your instructor.";

    public const string MissingMessage =
        "This machine is gone from the server. Stop the session and start the lab again; your instructor can see why.";

    // The server's own words about waiting for a start slot (SessionService) are safe to show as they are.
    private const string WaitingPrefix = "Waiting for a free start slot";

    public static SessionNodeResponse From(NodeStatus node, bool withDetails) =>
        new(node.Node, node.State, MessageFor(node), withDetails ? node.Message : null);

    public static string? MessageFor(NodeStatus node) => node.State switch
    {
        NodeState.Pending when node.Message?.StartsWith(WaitingPrefix, StringComparison.Ordinal) == true => node.Message,
        NodeState.Pending => "Waiting to start.",
        NodeState.Creating or NodeState.Starting => "Starting.",
        NodeState.Failed => FailedMessage,
        NodeState.Missing => MissingMessage,
        _ => null,
    };
}
