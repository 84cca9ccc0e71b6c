namespace LabOrchestrator.Podman.Tests;

public sealed class PodmanHostErrorsTests
{
    [Theory]
    // What every session said on a fresh machine without catatonit (Podman 4.3 builds its pause image from it).
    [InlineData("Node 'linux' could not be created: playing YAML file: building local pause image: finding pause binary: exec: \"catatonit\": executable file not found in $PATH", "apt-get install -y catatonit")]
    [InlineData("Podman: crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2: OCI runtime error", "apt-get install -y runc")]
    [InlineData("Node 'a' could not be created: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied", "hard limits")]
    [InlineData("Node 'a' could not be created: write /var/lib/containers/storage/overlay/x: no space left on device", "podman system prune")]
    [InlineData("Node 'a' could not be created: localhost/lab-base:latest: image not known", "build it")]
    [InlineData("Podman: pinging container registry localhost: Get \"https://localhost/v2/\": dial tcp 127.0.0.1:443: connect: connection refused", "build it")]
    public void FixFor_HostProblems_NamesTheFix(string message, string fix) =>
        Assert.Contains(fix, PodmanHostErrors.FixFor(message), StringComparison.Ordinal);

    [Theory]
    [InlineData("Node 'web' stopped (status exited, exit code 1, restarts 0). Last log lines:\nnginx: [emerg] unknown directive")]
    // The node's own output is the lab's, whatever it says.
    [InlineData("Node 'web' stopped (status exited, exit code 1, restarts 0). Last log lines:\nwrite: no space left on device; catatonit missing")]
    [InlineData("Node 'stuck' runs but was not ready within 8 s (its image's /usr/local/bin/lab-ready did not pass: exit code 1).")]
    public void FixFor_TheLabsOwnProblems_IsNull(string message) =>
        Assert.Null(PodmanHostErrors.FixFor(message));
}
