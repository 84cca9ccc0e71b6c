using System.Text.Json;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Doctor;

/// <summary>labctl doctor against this real host (Podman, iptables, the images built by scripts/setup.sh).</summary>
public sealed class DoctorCommandTests : IDisposable
{
    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Doctor_OnAHostSetUpByTheScript_PassesEveryRequiredCheck()
    {
        var result = await labctl.RunAsync("doctor");

        Assert.True(result.ExitCode == 0, result.ToString());
        // One line per part, each ticked: what a fresh machine lacked before is named and found.
        foreach (var part in new[] { "podman", "OCI runtime", "catatonit", "netavark", "aardvark-dns", "iptables", "containers.conf ulimits", "podman API", "database", "image storage disk", "node images" })
        {
            Assert.Contains(result.Out.Split('\n'), line => line.StartsWith($"✓ {part}: ", StringComparison.Ordinal));
        }

        Assert.Contains("✓ network backend: netavark", result.Out, StringComparison.Ordinal);
        Assert.Contains("/dev/kvm", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("This host can run sessions.", result.Out.TrimEnd(), StringComparison.Ordinal);
        // Looking is not changing: the database the doctor was pointed at is still not there.
        Assert.False(File.Exists(labctl.DatabasePath));
    }

    [Fact]
    public async Task Doctor_JsonOutput_GivesEveryCheckWithItsStatusAndAFixWhereNotOk()
    {
        var result = await labctl.RunAsync("doctor", "-o", "json", "--Podman:PodmanPath=/nonexistent/podman");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "catatonit" && c.GetProperty("status").GetString() == "Ok");
        var podman = Assert.Single(checks, c => c.GetProperty("name").GetString() == "podman");
        Assert.Equal("Failed", podman.GetProperty("status").GetString());
        Assert.Contains("scripts/setup.sh", podman.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.All(checks.Where(c => c.GetProperty("status").GetString() != "Ok"), c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("fix").GetString())));
    }

    [Fact]
    public async Task Doctor_PodmanNotInstalled_FailsWithTheInstallCommandAndExitsOne()
    {
        var result = await labctl.RunAsync("doctor", "--Podman:PodmanPath=/nonexistent/podman");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("✗ podman: '/nonexistent/podman' is not on PATH", result.Out, StringComparison.Ordinal);
        Assert.Contains("    fix: run scripts/setup.sh, or apt-get install -y --no-install-recommends podman runc catatonit netavark aardvark-dns", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 required check failed", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_PublishedLabWhoseImageIsMissing_FailsNamingTheImageTheLabAndTheFix()
    {
        var lab = labctl.WriteLab("doctor-missing-image", """
            name: doctor-missing-image
            nodes:
              - name: box
                image: localhost/lab-doctor-no-such-image:1
            """);
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", lab)).ExitCode);

        var result = await labctl.RunAsync("doctor");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("✗ node images: localhost/lab-doctor-no-such-image:1 is missing (used by doctor-missing-image)", result.Out, StringComparison.Ordinal);
        Assert.Contains("podman pull localhost/lab-doctor-no-such-image:1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_DatabaseThatIsNotADatabase_FailsNamingTheFile()
    {
        await File.WriteAllTextAsync(labctl.DatabasePath, new string('x', 4096), TestContext.Current.CancellationToken);

        var result = await labctl.RunAsync("doctor");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"✗ database: {labctl.DatabasePath} cannot be read", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnABrokenHost_RefusesToServeNamesTheFixAndWritesNothing()
    {
        var result = await labctl.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--Podman:PodmanPath=/nonexistent/podman");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: this host cannot run sessions; not serving.", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("✗ podman: '/nonexistent/podman' is not on PATH", result.Error, StringComparison.Ordinal);
        Assert.Contains("fix: run scripts/setup.sh", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Serving on", result.Out, StringComparison.Ordinal);
        // Refused before the database was created and the first admin's one-time password shown.
        Assert.False(File.Exists(labctl.DatabasePath));
    }

    [Fact]
    public async Task Doctor_WithAKubernetesClusterConfigured_ChecksIt()
    {
        var kubeconfig = Path.Combine(labctl.Folder, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, string.Join('\n',
            "apiVersion: v1", "kind: Config",
            "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]",
            "users: [{name: u, user: {token: t}}]",
            "contexts: [{name: c, context: {cluster: c, user: u}}]", "current-context: c"), TestContext.Current.CancellationToken);

        var configured = await labctl.RunAsync("doctor", $"--Kubernetes:Kubeconfig={kubeconfig}");
        var unconfigured = await labctl.RunAsync("doctor");

        Assert.Equal(1, configured.ExitCode);
        Assert.Contains("✗ kubernetes API: https://127.0.0.1:1 does not answer", configured.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("kubernetes", unconfigured.Out, StringComparison.Ordinal);
    }
}
