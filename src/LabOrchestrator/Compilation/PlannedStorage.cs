namespace LabOrchestrator.Compilation;

/// <summary>
/// A node's per-learner folder as the plan holds it: the claim (a PersistentVolumeClaim on Kubernetes, a named volume on
/// Podman) mounted at <see cref="Path"/>, and the labels it carries — user, lab, node and persistent, never the session.
/// </summary>
public sealed record PlannedStorage(string ClaimName, string Path, IReadOnlyDictionary<string, string> Labels);
