using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>A saved session as the API shows it; what the engine keeps per node is for admins only.</summary>
internal sealed record SavedSessionResponse
{
    public required string Id { get; init; }
    public required string Lab { get; init; }
    public required string UserId { get; init; }
    public required string SessionId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<string> Nodes { get; init; }
    public int StepsDone { get; init; }

    /// <summary>Node → image; only for admins.</summary>
    public IReadOnlyDictionary<string, string>? Images { get; init; }

    public static SavedSessionResponse From(SavedSession saved, bool withImages) => new()
    {
        Id = saved.Id,
        Lab = saved.LabName,
        UserId = saved.UserId,
        SessionId = saved.SessionId,
        CreatedAt = saved.CreatedAt,
        Nodes = saved.Nodes.Keys.Order(StringComparer.Ordinal).ToList(),
        StepsDone = saved.StepsDone,
        Images = withImages ? saved.Nodes : null,
    };
}
