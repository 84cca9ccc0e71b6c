using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace LabOrchestrator.Podman.Tests.Install;

/// <summary>
/// The machines that run CI are never fresh: packages an earlier install brought in (apt Recommends) hide a missing
/// one. This test installs scripts/setup.sh's own package list, with setup's own apt options, into an empty Debian
/// root file system (mmdebstrap --variant=minbase) and checks that every program the engine calls is there and runs.
/// The root file system is kept under /var/cache, keyed by the list and the options, so it is built again (about
/// 5–10 minutes) only when either changes.
/// </summary>
public sealed class FreshInstallTests
{
    private const string CacheRoot = "/var/cache/lab-orchestrator/fresh-install";

    /// <summary>What the Podman engine and its doctor call, and where Debian puts each.</summary>
    private static readonly (string Program, string[] Candidates, bool RunsVersion)[] Programs =
    [
        ("podman", ["usr/bin/podman"], false),
        ("runc", ["usr/sbin/runc", "usr/bin/runc"], true),
        ("conmon", ["usr/bin/conmon", "usr/libexec/podman/conmon"], true),
        ("catatonit", ["usr/libexec/podman/catatonit", "usr/bin/catatonit"], true),
        ("netavark", ["usr/lib/podman/netavark", "usr/libexec/podman/netavark"], true),
        ("aardvark-dns", ["usr/lib/podman/aardvark-dns", "usr/libexec/podman/aardvark-dns"], false),
        ("iptables", ["usr/sbin/iptables"], true),
        ("slirp4netns", ["usr/bin/slirp4netns"], true),
        ("newuidmap", ["usr/bin/newuidmap"], false),
        ("mmdebstrap", ["usr/bin/mmdebstrap"], true),
        ("chromium", ["usr/bin/chromium"], false),
        ("initdb", ["usr/lib/postgresql/15/bin/initdb"], true),
        ("pg_ctl", ["usr/lib/postgresql/15/bin/pg_ctl"], true),
    ];

    [Fact]
    public async Task SetupPackageList_InAnEmptyDebianRoot_InstallsEveryProgramTheEngineNeeds()
    {
        var setup = Path.Combine(RepositoryRoot.Path, "scripts", "setup.sh");
        var packages = Lines(await RunAsync(setup, "--packages"));
        var aptOptions = Lines(await RunAsync(setup, "--apt-options"));
        Assert.Contains("--no-install-recommends", aptOptions);
        var root = await FreshRootAsync(packages, aptOptions);

        foreach (var (program, candidates, runsVersion) in Programs)
        {
            var found = candidates.FirstOrDefault(c => File.Exists(Path.Combine(root, c)));
            Assert.True(found is not null, $"{program} is missing after installing only setup.sh's packages ({string.Join(' ', packages)}): add its package to scripts/setup.sh");
            if (runsVersion)
            {
                var version = await RunAsync("chroot", root, "/" + found, "--version");
                Assert.False(string.IsNullOrWhiteSpace(version), $"{program} --version printed nothing");
            }
        }
    }

    private static async Task<string> FreshRootAsync(IReadOnlyList<string> packages, IReadOnlyList<string> aptOptions)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', packages) + "\n" + string.Join(' ', aptOptions))))[..16];
        var folder = Path.Combine(CacheRoot, key);
        var root = Path.Combine(folder, "root");
        if (File.Exists(Path.Combine(folder, "complete")))
        {
            return root;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        // Exactly setup's command, run in the new root: its options, its packages, nothing else installed before.
        var install = $"apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install {string.Join(' ', aptOptions)} {string.Join(' ', packages)} >/dev/null";
        await RunAsync("mmdebstrap", "--quiet", "--variant=minbase", $"--customize-hook=chroot \"$1\" sh -c '{install}'", "bookworm", root);
        await File.WriteAllTextAsync(Path.Combine(folder, "complete"), $"{string.Join(' ', packages)}\n", TestContext.Current.CancellationToken);
        return root;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
