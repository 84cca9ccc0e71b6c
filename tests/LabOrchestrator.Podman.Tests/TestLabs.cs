using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Podman.Tests;

/// <summary>Hand-built labs (the tests do not depend on the lab file parser).</summary>
internal static class TestLabs
{
    public const string Image = "localhost/lab-base:latest";

    private static readonly string[] Idle = ["sleep", "infinity"];

    public static CompiledPlan Compile(LabDefinition lab, string sessionId, params ResolvedCredential[] credentials) =>
        LabCompiler.Compile(lab, new SessionContext(sessionId, "tester", credentials));

    /// <summary>A web server showing its session id, and a client, on one network.</summary>
    public static LabDefinition TwoHosts() => new()
    {
        Name = "two-hosts",
        Networks = [new NetworkDefinition("lan")],
        Nodes =
        [
            new NodeDefinition
            {
                Name = "server",
                Image = Image,
                Command = ["sh", "-c", "mkdir -p /srv/www && echo \"page of $LAB_SESSION_ID\" > /srv/www/index.html && exec busybox httpd -f -p 80 -h /srv/www"],
                Networks = ["lan"],
                Access = new AccessDefinition { Http = [new HttpPortDefinition("web", 80)] },
                Credentials = [new CredentialDefinition { Name = "admin", Username = "admin", GeneratePassword = true }],
            },
            Idler("client", "lan"),
        ],
    };

    /// <summary>Two segments and a router on both.</summary>
    public static LabDefinition Segmented() => new()
    {
        Name = "segmented",
        Networks = [new NetworkDefinition("left"), new NetworkDefinition("right")],
        Nodes = [Idler("alice", "left"), Idler("bob", "right"), Idler("router", "left", "right")],
    };

    /// <summary>Enough nodes that an apply takes a while: the probe is killed in its middle.</summary>
    public static LabDefinition Wide() => new()
    {
        Name = "wide",
        Networks = [new NetworkDefinition("one"), new NetworkDefinition("two")],
        Nodes = [Idler("n1", "one"), Idler("n2", "one"), Idler("n3", "two"), Idler("n4", "one", "two"), Idler("n5")],
    };

    public static NodeDefinition Idler(string name, params string[] networks) =>
        new() { Name = name, Image = Image, Command = Idle, Networks = networks };
}
