namespace LabOrchestrator.Sessions;

/// <summary>One folder a learner keeps for a lab (a node's <c>storage</c>), as the engine holds it.</summary>
/// <param name="Name">The engine's name of it (Podman: the volume); what delete takes.</param>
/// <param name="User">The owner, as labelled: the user id, or a hash of ids that are not valid label values.</param>
/// <param name="Lab">The lab it belongs to.</param>
/// <param name="Node">The node whose folder it is.</param>
/// <param name="Path">The folder in the node; null when the engine does not record it.</param>
public sealed record StoredVolume(string Name, string User, string Lab, string Node, string? Path);
