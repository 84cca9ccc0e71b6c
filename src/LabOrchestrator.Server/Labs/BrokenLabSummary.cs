using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>A stored lab that no longer passes validation: not loaded, with every problem so an admin can fix or delete it.</summary>
public sealed record BrokenLabSummary(string Name, string SourceFile, DateTimeOffset UpdatedAt, IReadOnlyList<string> Problems)
{
    public static BrokenLabSummary From(BrokenLab lab) =>
        new(lab.Name, lab.SourceFile, lab.UpdatedAt, lab.Diagnostics.Select(d => d.ToString()).ToList());
}
