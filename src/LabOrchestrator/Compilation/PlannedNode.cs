using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>A node of the plan: its pod, and the lab networks (in order) it joins.</summary>
public sealed record PlannedNode(string Name, NodeKind Kind, V1Pod Pod, IReadOnlyList<string> Networks, AccessDefinition Access);
