using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Testing.EngineContract;

/// <summary>The labs the engine contract runs, built by hand so every engine gets the same compiled plan.</summary>
internal static class ContractLab
{
    /// <summary>The port the "web" node listens on: an echo server sending back every byte it receives.</summary>
    public const int EchoPort = 7000;

    /// <summary>A port no node offers.</summary>
    public const int UnofferedPort = 7999;

    /// <summary>An image no registry has.</summary>
    public const string MissingImage = "localhost/contract-no-such-image:none";

    /// <summary>A node offering <see cref="EchoPort"/> and an idle node, on one network.</summary>
    public static CompiledPlan Running(string sessionId, string image) => Compile(new LabDefinition
    {
        Name = "contract",
        Networks = [new NetworkDefinition("lan")],
        Nodes =
        [
            new NodeDefinition
            {
                Name = "web",
                Image = image,
                Command = ["busybox", "nc", "-ll", "-p", EchoPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-e", "cat"],
                Networks = ["lan"],
                Access = new AccessDefinition { Http = [new HttpPortDefinition("echo", EchoPort)] },
            },
            new NodeDefinition { Name = "idle", Image = image, Command = ["sleep", "infinity"], Networks = ["lan"] },
        ],
    }, sessionId);

    /// <summary>One node whose image cannot be had.</summary>
    public static CompiledPlan Failing(string sessionId) => Compile(new LabDefinition
    {
        Name = "contract-failing",
        Nodes = [new NodeDefinition { Name = "broken", Image = MissingImage, Command = ["sleep", "infinity"] }],
    }, sessionId);

    private static CompiledPlan Compile(LabDefinition lab, string sessionId) =>
        LabCompiler.Compile(lab, new SessionContext(sessionId, "contract", []));
}
