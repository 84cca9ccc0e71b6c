namespace LabOrchestrator.Persistence;

/// <summary>A session's progress on one guide step.</summary>
internal sealed class SessionStepEntity
{
    public required string SessionId { get; set; }
    public required string StepId { get; set; }
    public bool Done { get; set; }
    public string? Method { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int CheckAttempts { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public bool? LastCheckPassed { get; set; }
    /// <summary>The last check's feedback lines, joined with newlines.</summary>
    public string? LastFeedback { get; set; }
}
