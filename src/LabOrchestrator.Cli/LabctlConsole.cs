using LabOrchestrator.Cli.Terminal;

namespace LabOrchestrator.Cli;

/// <summary>Where labctl reads and writes: the process console, or writers and streams supplied by a test.</summary>
internal sealed class LabctlConsole
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>Standard input as raw bytes (keystrokes for a shell).</summary>
    public required Func<Stream> OpenInput { get; init; }

    /// <summary>Standard output as raw bytes (what a terminal prints); writes go after anything written to <see cref="Out"/>.</summary>
    public required Func<Stream> OpenOutput { get; init; }

    public bool IsInputTerminal { get; init; }
    public bool IsOutputTerminal { get; init; }
    public bool IsErrorTerminal { get; init; }

    /// <summary>Columns and rows of the terminal, read again on every resize.</summary>
    public Func<(int Columns, int Rows)> WindowSize { get; init; } = () => (80, 24);

    public static LabctlConsole FromSystemConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OpenInput = Console.OpenStandardInput,
        OpenOutput = Console.OpenStandardOutput,
        IsInputTerminal = !Console.IsInputRedirected,
        IsOutputTerminal = !Console.IsOutputRedirected,
        IsErrorTerminal = !Console.IsErrorRedirected,
        WindowSize = () => Console.IsOutputRedirected ? (80, 24) : (Console.WindowWidth, Console.WindowHeight),
    };

    /// <summary>A console that is no terminal: text goes to the writers, input comes from <paramref name="input"/> (empty when null).</summary>
    public static LabctlConsole FromWriters(TextWriter output, TextWriter error, Stream? input = null) => new()
    {
        Out = output,
        Error = error,
        OpenInput = () => input ?? Stream.Null,
        OpenOutput = () => new TextWriterStream(output),
    };
}
