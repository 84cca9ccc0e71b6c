namespace LabOrchestrator.Compilation;

/// <summary>A credential of a node with its password fixed for one session.</summary>
public sealed record ResolvedCredential(string Node, string Name, string Username, string Password);
