using Spectre.Console;
using Spectre.Console.Rendering;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>Writes a command's result as a table (people) or JSON (scripts) to standard output.</summary>
internal sealed class CliOutput(LabctlConsole console, OutputFormat format, bool quiet = false)
{
    // Wide enough that piped tables are not wrapped; a terminal uses its own width.
    private const int PipedWidth = 200;

    public OutputFormat Format { get; } = format;
    public bool IsJson => Format == OutputFormat.Json;
    public TextWriter Out => console.Out;
    public TextWriter Error => console.Error;

    /// <summary>Only the essential result goes to stdout (for <c>id=$(labctl … --quiet)</c>); remarks go to stderr.</summary>
    public bool IsQuiet { get; } = quiet;

    /// <summary>Where progress and remarks go: stdout for tables, stderr for JSON and quiet runs so that stdout stays parseable.</summary>
    public TextWriter Remarks => IsJson || IsQuiet ? console.Error : console.Out;

    public bool RemarksAreTerminal => IsJson || IsQuiet ? console.IsErrorTerminal : console.IsOutputTerminal;

    public CliOutput AsQuiet() => new(console, Format, quiet: true);

    public Task WriteJsonAsync<T>(T value) => console.Out.WriteLineAsync(CliJson.Serialize(value));

    public void Write(IRenderable renderable) => CreateAnsiConsole(console.Out, console.IsOutputTerminal).Write(renderable);

    public Table CreateTable(params string[] headers)
    {
        var table = new Table { Border = console.IsOutputTerminal ? TableBorder.Rounded : TableBorder.None };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header.ToUpperInvariant())) { NoWrap = true });
        }

        return table;
    }

    public static IAnsiConsole CreateAnsiConsole(TextWriter writer, bool isTerminal)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!isTerminal)
        {
            ansi.Profile.Width = PipedWidth;
        }

        return ansi;
    }
}
