namespace LabOrchestrator.Cli;

/// <summary>Exit codes of labctl; the command's own code is passed through by exec.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    /// <summary>As timeout(1) does, so scripts can tell a slow command from a failing one.</summary>
    public const int TimedOut = 124;
    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Interrupted = 130;
}
