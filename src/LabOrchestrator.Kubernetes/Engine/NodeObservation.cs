using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>A node's state as the learner may read it, and the cluster's own words for admins (null when there are none).</summary>
internal sealed record NodeObservation(NodeStatus Status, string? Detail);
