namespace LabOrchestrator.Hosting;

/// <summary>Settings of the library, bound from the "LabOrchestrator" configuration section.</summary>
public sealed record LabOrchestratorOptions
{
    public const string SectionName = "LabOrchestrator";

    /// <summary>The SQLite database file. Its folder is created when missing.</summary>
    public string DatabasePath { get; set; } = DefaultDatabasePath();

    /// <summary>How long a node may take to start before the session fails.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many session starts run at once in this process; more wait their turn (Starting, nodes Pending). The start
    /// timeout counts from a start's turn. Default: twice the processor count, at least 4.
    /// </summary>
    public int MaxConcurrentStarts { get; set; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>
    /// Whether a session that becomes Running opens the login shell of its first terminal node at once, for the first
    /// terminal opened there (closed after a minute when nobody opens one). Off for short-lived processes (labctl).
    /// </summary>
    public bool PrepareTerminals { get; set; } = true;

    /// <summary>Length of generated passwords.</summary>
    public int GeneratedPasswordLength { get; set; } = 16;

    /// <summary>Heartbeats of operations and the reconciler's period ("LabOrchestrator:Recovery").</summary>
    public RecoveryOptions Recovery { get; set; } = new();
    /// <summary>How many saved sessions each user may keep; saving one more is refused until one is deleted.</summary>
    public int MaxSavedSessionsPerUser { get; set; } = 3;

    public static string DefaultDatabasePath()
    {
        var root = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(root, "lab-orchestrator", "lab-orchestrator.db");
    }
}
