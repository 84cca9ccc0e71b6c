namespace LabOrchestrator.Sessions;

/// <summary>A user already keeps as many saved sessions as allowed (LabOrchestrator:MaxSavedSessionsPerUser).</summary>
public sealed class SavedSessionQuotaException(int current, int max)
    : InvalidOperationException($"You already keep {current} of {max} saved sessions allowed (LabOrchestrator:MaxSavedSessionsPerUser). Delete one and save again.")
{
    public int Current { get; } = current;
    public int Max { get; } = max;
}
