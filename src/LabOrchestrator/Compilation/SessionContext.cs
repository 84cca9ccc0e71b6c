namespace LabOrchestrator.Compilation;

/// <summary>What the compiler needs to know of a session besides its lab.</summary>
public sealed record SessionContext(string SessionId, string UserId, IReadOnlyList<ResolvedCredential> Credentials);
