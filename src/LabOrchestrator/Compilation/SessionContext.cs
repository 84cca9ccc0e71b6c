namespace LabOrchestrator.Compilation;

/// <summary>What the compiler needs to know of a session besides its lab.</summary>
public sealed record SessionContext(string SessionId, string UserId, IReadOnlyList<ResolvedCredential> Credentials)
{
    /// <summary>The id of the database the session lives in; when set, every object carries it as <see cref="Engines.LabLabels.Instance"/>.</summary>
    public string? Instance { get; init; }
}
