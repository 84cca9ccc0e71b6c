namespace LabOrchestrator.Sessions;

/// <summary>A session that cannot be saved, with a reason anyone may read (a virtual machine node, the engine cannot).</summary>
public sealed class SaveRefusedException(string message) : InvalidOperationException(message);
