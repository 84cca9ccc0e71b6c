using System.CommandLine;
using LabOrchestrator.Hosting;

namespace LabOrchestrator.Cli;

/// <summary>Options every command accepts, before or after the command name.</summary>
internal sealed class GlobalOptions
{
    public const string DatabaseVariable = "LABCTL_DATABASE";
    public const string PodmanSocketVariable = "LABCTL_PODMAN_SOCKET";

    public GlobalOptions(Func<string, string?> environment)
    {
        Database = new Option<string>("--database")
        {
            Description = $"The SQLite database file [env: {DatabaseVariable}]",
            HelpName = "PATH",
            Recursive = true,
            DefaultValueFactory = _ => NonEmpty(environment(DatabaseVariable)) ?? LabOrchestratorOptions.DefaultDatabasePath(),
        };
        PodmanSocket = new Option<string?>("--podman-socket")
        {
            Description = $"An existing Podman API socket; without it labctl starts its own Podman service [env: {PodmanSocketVariable}]",
            HelpName = "PATH",
            Recursive = true,
            DefaultValueFactory = _ => NonEmpty(environment(PodmanSocketVariable)),
        };
        Output = new Option<OutputFormat>("--output", "-o")
        {
            Description = "Output format: table for people, json for scripts",
            Recursive = true,
            DefaultValueFactory = _ => OutputFormat.Table,
        };
        Verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Log what happens to stderr and show stack traces of errors",
            Recursive = true,
        };
    }

    public Option<string> Database { get; }
    public Option<string?> PodmanSocket { get; }
    public Option<OutputFormat> Output { get; }
    public Option<bool> Verbose { get; }

    public IEnumerable<Option> All => [Database, PodmanSocket, Output, Verbose];

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
