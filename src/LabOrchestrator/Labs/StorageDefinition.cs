namespace LabOrchestrator.Labs;

/// <summary>
/// A folder of a node kept per learner and lab (<c>storage: [{path: /home/learner/work}]</c>): every session of the same
/// learner and lab mounts the same volume there; no other learner ever gets it.
/// </summary>
public sealed record StorageDefinition(string Path);
