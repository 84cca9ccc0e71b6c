using k8s.Models;
using LabOrchestrator.Compilation;

namespace LabOrchestrator.Podman.Tests;

/// <summary>Where desktop nodes' VNC sockets live on the host, and who may reach them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DesktopSocketsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"labo-desktops-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Adapt_DesktopPod_MountsAHostFolderThatOnlyRootCanReach_AndDeleteRemovesIt()
    {
        var options = new PodmanEngineOptions { DesktopSocketRoot = root };
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "node" }],
                Volumes = [new V1Volume { Name = LabCompiler.DesktopSocketVolume, EmptyDir = new V1EmptyDirVolumeSource() }],
            },
        };

        DesktopSockets.Adapt(pod, options, "s1", "workstation");

        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Null(volume.EmptyDir);
        Assert.Equal(Path.Combine(root, "s1", "workstation"), volume.HostPath.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root));
        Assert.True(Directory.Exists(volume.HostPath.Path));

        DesktopSockets.Delete(options, "s1");

        Assert.False(Directory.Exists(Path.Combine(root, "s1")));
    }

    [Fact]
    public void Adapt_PodWithoutDesktop_IsLeftAsItIs()
    {
        var options = new PodmanEngineOptions { DesktopSocketRoot = root };
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "node" }] } };

        DesktopSockets.Adapt(pod, options, "s1", "server");

        Assert.Null(pod.Spec.Volumes);
        Assert.False(Directory.Exists(root));
    }
}
