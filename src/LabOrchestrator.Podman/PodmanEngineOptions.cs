using LabOrchestrator.Compilation;

namespace LabOrchestrator.Podman;

/// <summary>How the Podman engine reaches Podman.</summary>
public sealed record PodmanEngineOptions
{
    /// <summary>An existing Podman API socket to use. When null the engine starts its own service on <see cref="ServiceSocketPath"/>.</summary>
    public string? SocketPath { get; set; }

    /// <summary>
    /// Where the engine's own <c>podman system service</c> listens (and its containers.conf lives). The socket's name
    /// gets the hash of the service's configuration (podman.sock → podman-1a2b3c4d5e6f.sock), so a service started by an
    /// engine with another configuration is never reused.
    /// </summary>
    public string ServiceSocketPath { get; set; } = DefaultServiceSocketPath();

    /// <summary>The podman executable, a path or a name looked up on PATH.</summary>
    public string PodmanPath { get; set; } = "podman";

    /// <summary>How long every node of a session may take to run.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a freshly started Podman service may take to answer.</summary>
    public TimeSpan ServiceStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The image a VM node's pod runs: it boots the node's containerDisk with qemu (see images/vm-launcher).</summary>
    public string VmLauncherImage { get; set; } = VmNodePods.DefaultLauncherImage;

    /// <summary>Pass /dev/kvm to VM nodes when the host has it; the launcher falls back to software emulation when KVM does not work.</summary>
    public bool VmUseKvm { get; set; } = true;

    /// <summary>
    /// Where desktop nodes' VNC sockets live on this host: one folder per session and node, mounted into the node. Only
    /// root may enter it, so only the gateway (through the engine) reaches a desktop.
    /// </summary>
    public string DesktopSocketRoot { get; set; } = Path.Combine(Path.GetDirectoryName(DefaultServiceSocketPath())!, "desktops");

    /// <summary>
    /// The images/ folder of a checkout (with check.sh), which labctl doctor compares the built node images with; when
    /// null it looks for one around the working folder and the program.
    /// </summary>
    public string? ImageSources { get; set; }

    /// <summary>
    /// Most processes (and threads) one node's container may have, so a fork bomb stays inside its node. Set for every
    /// container of the engine's own Podman service (containers.conf <c>pids_limit</c>); a desktop needs about 40.
    /// </summary>
    public int PidsLimit { get; set; } = 1024;

    /// <summary>A node's CPU limit (a Kubernetes quantity) when its lab gives none.</summary>
    public string DefaultCpu { get; set; } = NodeDefaults.Cpu;

    /// <summary>A node's memory limit (a Kubernetes quantity) when its lab gives none.</summary>
    public string DefaultMemory { get; set; } = NodeDefaults.Memory;

    /// <summary>How many log lines of a failed node are put into the error message.</summary>
    public int FailureLogLines { get; set; } = 20;

    public static string DefaultServiceSocketPath()
    {
        // Root shares one service machine-wide; other users cannot write /run, so they get their runtime folder.
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Environment.UserName != "root")
        {
            return Path.Combine(runtime, "lab-orchestrator", "podman.sock");
        }

        return "/run/lab-orchestrator/podman.sock";
    }
}
