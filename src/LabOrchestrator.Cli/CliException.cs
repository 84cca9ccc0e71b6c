namespace LabOrchestrator.Cli;

/// <summary>A failure a command has already explained; labctl prints the message as the error line.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
