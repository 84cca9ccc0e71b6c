using LabOrchestrator.Cli.Tests.Support;
using LabOrchestrator.Engines;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>
/// Issue 15: labctl warns when a lab's image is missing from the engine, and its imports, removals and stops appear in
/// the server's audit log (the same database), with the stop reason Labctl.
/// </summary>
public sealed class CliAuditTests : IDisposable
{
    private readonly FakeLabEngine engine = new() { ImageExists = image => !image.Contains("missing", StringComparison.Ordinal) };
    private readonly Labctl labctl;

    public CliAuditTests() => labctl = new Labctl(services =>
    {
        services.RemoveAll<ILabEngine>();
        services.AddSingleton<ILabEngine>(engine);
    });

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Import_OfALabWhoseImageIsMissing_ImportsItAndPrintsAWarningNamingNodeAndImage()
    {
        var folder = labctl.WriteLab("gap", "name: gap\nnodes:\n  - name: box\n    image: localhost/missing:1\n  - name: ok\n    image: busybox\n");

        var result = await labctl.RunAsync("lab", "import", folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Imported lab 'gap'", result.Out, StringComparison.Ordinal);
        var warning = Assert.Single(result.ErrorLines, l => l.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Contains("Node 'box': image localhost/missing:1 is not on the fake engine", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportStopAndRemove_AreWrittenToTheAuditLog_AndTheStopSaysLabctl()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("hello-linux"))).ExitCode);
        var start = await labctl.RunAsync("session", "start", "hello-linux", "--user", "lea", "--quiet");
        var id = start.Out.Trim();

        var stop = await labctl.RunAsync("session", "stop", id);
        var remove = await labctl.RunAsync("lab", "remove", "hello-linux");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("Labctl", await ScalarAsync($"SELECT StopReason FROM sessions WHERE Id = '{id}'"));
        Assert.Equal(0, remove.ExitCode);
        Assert.Equal(
            [("lab.uploaded", null, "hello-linux"), ("session.stopped", id, "hello-linux"), ("lab.deleted", null, "hello-linux")],
            await AuditAsync());
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={labctl.DatabasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<(string Action, string? Session, string? Target)>> AuditAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={labctl.DatabasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Action, SessionId, Target, UserId, RemoteAddress FROM audit_log ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<(string, string?, string?)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            Assert.StartsWith("labctl:", reader.GetString(3), StringComparison.Ordinal);
            Assert.Equal("labctl", reader.GetString(4));
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }
}
