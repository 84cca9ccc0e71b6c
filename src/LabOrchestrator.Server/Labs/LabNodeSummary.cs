using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>One node of a lab: what it runs and what a learner may open on it (terminal, desktop, web ports).</summary>
internal sealed record LabNodeSummary(string Name, NodeKind Kind, string Image, LabNodeAccess Access, IReadOnlyList<string> Networks)
{
    public static LabNodeSummary From(NodeDefinition node) => new(
        node.Name,
        node.Kind,
        node.Image,
        new LabNodeAccess(node.Access.Terminal, node.Access.Desktop, node.Access.Http),
        node.Networks);
}
