namespace LabOrchestrator.Server.Gateway;

/// <summary>What an access token may open on a node: its terminal, its web ports. Desktops (VNC) will join them.</summary>
public static class AccessKinds
{
    public const string Terminal = "terminal";
    public const string Http = "http";

    public static IReadOnlyList<string> All { get; } = [Terminal, Http];
}
