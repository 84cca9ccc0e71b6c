using LabOrchestrator.Sessions;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>A saved session as --output json shows it.</summary>
internal sealed record SavedJson(string Id, string Lab, string UserId, string SessionId, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Images, int StepsDone)
{
    public static SavedJson From(SavedSession saved) =>
        new(saved.Id, saved.LabName, saved.UserId, saved.SessionId, saved.CreatedAt, saved.Nodes, saved.StepsDone);
}
