namespace LabOrchestrator.Server.Gateway;

/// <summary>What an access token may open on a node: its terminal, its desktop (VNC), its web ports.</summary>
public static class AccessKinds
{
    public const string Terminal = "terminal";
    public const string Desktop = "desktop";
    public const string Http = "http";

    public static IReadOnlyList<string> All { get; } = [Terminal, Desktop, Http];
}
