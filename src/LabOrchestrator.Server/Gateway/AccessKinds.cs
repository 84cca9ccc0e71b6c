namespace LabOrchestrator.Server.Gateway;

/// <summary>What an access token may open on a node. Desktop (VNC) and HTTP ports will join the terminal.</summary>
public static class AccessKinds
{
    public const string Terminal = "terminal";

    public static IReadOnlyList<string> All { get; } = [Terminal];
}
