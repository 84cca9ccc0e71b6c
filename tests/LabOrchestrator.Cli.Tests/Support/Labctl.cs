using System.Text;
using Microsoft.Data.Sqlite;

namespace LabOrchestrator.Cli.Tests.Support;

/// <summary>Runs labctl in-process against its own SQLite file in a temporary folder, removed on dispose.</summary>
internal sealed class Labctl : IDisposable
{
    private readonly Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices;

    /// <param name="configureServices">Replaces services of every command, e.g. the engine with <c>FakeLabEngine</c>.</param>
    public Labctl(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        this.configureServices = configureServices;
        Folder = Directory.CreateTempSubdirectory("labctl-tests-").FullName;
        DatabasePath = System.IO.Path.Combine(Folder, "lab-orchestrator.db");
    }

    public string Folder { get; }
    public string DatabasePath { get; }

    /// <summary>Runs labctl with <c>--database</c> pointing at this instance's file and an empty standard input.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs labctl with <paramref name="input"/> as its standard input (not a terminal).</summary>
    public async Task<CliResult> RunWithInputAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(input ?? ""));
        var console = LabctlConsole.FromWriters(output, error, stdin);
        // An empty environment: tests never pick up a LABCTL_* variable of the machine they run on.
        var app = new LabctlApp(console, configureServices, environment: _ => null);
        var exitCode = await app.RunAsync(["--database", DatabasePath, .. args], TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Writes a lab file into a folder of its own and returns the folder.</summary>
    public string WriteLab(string folderName, string yaml)
    {
        var folder = System.IO.Path.Combine(Folder, folderName);
        Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, "lab.yaml"), yaml);
        return folder;
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; release them so the folder can go.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
