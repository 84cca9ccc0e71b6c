using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Cli;

/// <summary>Turns an exception into one line on stderr and an exit code; stack traces only with --verbose.</summary>
internal static class ErrorReporter
{
    public static async Task<int> ReportAsync(TextWriter error, Exception exception, bool verbose, CancellationToken cancellationToken)
    {
        var (message, exitCode) = Describe(exception, cancellationToken);
        if (exception is LabValidationException validation)
        {
            foreach (var diagnostic in validation.Diagnostics)
            {
                await error.WriteLineAsync(diagnostic.ToString());
            }
        }

        await error.WriteLineAsync($"error: {message}");
        if (verbose)
        {
            await error.WriteLineAsync(exception.ToString());
        }

        return exitCode;
    }

    private static (string Message, int ExitCode) Describe(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        LabValidationException v => ($"the lab has {v.Diagnostics.Count} problem(s); nothing was changed.", ExitCodes.Failure),
        OperationCanceledException when cancellationToken.IsCancellationRequested => ("interrupted.", ExitCodes.Interrupted),
        CliException cli => (cli.Message, cli.ExitCode),
        OptionsValidationException o => (string.Join(" ", o.Failures), ExitCodes.Failure),
        // The library's messages are written for the person at the keyboard (which lab, what to run next).
        KeyNotFoundException or InvalidOperationException or EngineException or ArgumentException
            or IOException or UnauthorizedAccessException or TimeoutException => (OneLine(exception.Message), ExitCodes.Failure),
        _ => ($"{OneLine(exception.Message)} (run with --verbose for details)", ExitCodes.Failure),
    };

    /// <summary>Joins a message's lines, so that every error is exactly one line.</summary>
    public static string OneLine(string message) =>
        string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
