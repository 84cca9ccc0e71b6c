namespace LabOrchestrator.Server.Sessions;

/// <summary>How many sessions may hold resources at once (every state but Stopped and Failed), bound from "Quotas".</summary>
public sealed record QuotaOptions
{
    public const string SectionName = "Quotas";

    /// <summary>Concurrent sessions of one user.</summary>
    public int PerUser { get; set; } = 2;

    /// <summary>Concurrent sessions of all users together.</summary>
    public int Total { get; set; } = 50;
}
