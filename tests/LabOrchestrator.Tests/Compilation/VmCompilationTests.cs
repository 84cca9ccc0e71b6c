using System.Text.Json.Nodes;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Compilation;

public sealed class VmCompilationTests
{
    private const string Disk = "registry.example.com/labs/vm-tiny:1";

    private static readonly LabDefinition Lab = new()
    {
        Name = "vm-lab",
        Networks = [new NetworkDefinition("lan"), new NetworkDefinition("dmz")],
        Nodes =
        [
            new NodeDefinition
            {
                Name = "vm",
                Image = Disk,
                Kind = NodeKind.Vm,
                Networks = ["lan", "dmz"],
                Resources = new ResourcesDefinition { Cpu = "1500m", Memory = "512Mi" },
                Access = new AccessDefinition { Desktop = true, Http = [new HttpPortDefinition("web", 80)] },
            },
            new NodeDefinition { Name = "box", Image = "localhost/lab-base:latest", Networks = ["lan"] },
        ],
    };

    private static readonly SessionContext Session = new("s1", "alice", []);

    /// <summary>KubeVirt's published OpenAPI document when the machine has it, else the subset kept beside this test.</summary>
    private static readonly Lazy<OpenApiValidator> KubeVirt = new(() =>
    {
        var full = Path.Combine(RepositoryRoot.Path, "..", "shared", "schemas", "kubevirt-openapi.json");
        var subset = Path.Combine(RepositoryRoot.Path, "tests", "LabOrchestrator.Tests", "Compilation", "Schemas", "kubevirt-virtualmachine.json");
        return OpenApiValidator.Load(File.Exists(full) ? full : subset);
    });

    [Fact]
    public void Compile_VmNode_PodIsEngineNeutral_WithTheGuestsFootprintAsItsResources()
    {
        var node = LabCompiler.Compile(Lab, Session).GetNode("vm");

        var container = Assert.Single(node.Pod.Spec.Containers);
        // No engine's launcher in the shared plan: the Podman engine makes its own launcher pod from it.
        Assert.Equal(Disk, container.Image);
        Assert.Equal(Disk, node.DiskImage);
        Assert.Equal(("512Mi", 2), (node.VmMemory, node.VmCpus));
        Assert.Equal(new ResourceQuantity("768Mi"), container.Resources.Limits["memory"]);
        Assert.Equal(new ResourceQuantity("2"), container.Resources.Limits["cpu"]);
        Assert.Equal("vm", container.Env.Single(e => e.Name == "LAB_NODE").Value);
        Assert.Equal(LabLabels.NodeKindVm, node.Pod.Metadata.Labels[LabLabels.NodeKind]);
    }

    [Fact]
    public void Compile_VmNodeWithoutResources_GetsTheDefaultGuestSize()
    {
        var lab = Lab with { Nodes = [Lab.Nodes[0] with { Resources = new ResourcesDefinition() }, Lab.Nodes[1]] };

        var node = LabCompiler.Compile(lab, Session).GetNode("vm");

        Assert.Equal((VmNodes.DefaultMemory, 1), (node.VmMemory, node.VmCpus));
        Assert.Equal(VmNodes.DefaultMemory, node.VirtualMachine!["spec"]!["template"]!["spec"]!["domain"]!["memory"]!["guest"]!.GetValue<string>());
    }

    [Fact]
    public void Compile_ContainerNode_HasNoVirtualMachineNorDisk()
    {
        var node = LabCompiler.Compile(Lab, Session).GetNode("box");

        Assert.Null(node.VirtualMachine);
        Assert.Null(node.DiskImage);
        Assert.False(node.Pod.Metadata.Labels.ContainsKey(LabLabels.NodeKind));
    }

    [Fact]
    public void Compile_VmNode_VirtualMachineIsValidAgainstKubeVirtsOpenApi()
    {
        var vm = LabCompiler.Compile(Lab, Session).GetNode("vm").VirtualMachine;

        // As the API server receives it: serialised JSON.
        var errors = KubeVirt.Value.Validate(JsonNode.Parse(vm!.ToJsonString()), "v1.VirtualMachine");

        Assert.Empty(errors);
    }

    [Fact]
    public void Compile_VmNode_VirtualMachineBootsTheContainerDiskWithTheLabsSizesAndNoCloudInit()
    {
        var vm = LabCompiler.Compile(Lab, Session).GetNode("vm").VirtualMachine!;

        Assert.Equal(("kubevirt.io/v1", "VirtualMachine"), (vm["apiVersion"]!.GetValue<string>(), vm["kind"]!.GetValue<string>()));
        Assert.Equal(("vm", "lab-s1"), (vm["metadata"]!["name"]!.GetValue<string>(), vm["metadata"]!["namespace"]!.GetValue<string>()));
        var spec = vm["spec"]!["template"]!["spec"]!;
        var volume = Assert.Single(spec["volumes"]!.AsArray())!;
        Assert.Equal(Disk, volume["containerDisk"]!["image"]!.GetValue<string>());
        Assert.Equal(volume["name"]!.GetValue<string>(), spec["domain"]!["devices"]!["disks"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("512Mi", spec["domain"]!["memory"]!["guest"]!.GetValue<string>());
        Assert.Equal(2, spec["domain"]!["cpu"]!["cores"]!.GetValue<int>());
        Assert.Equal("1500m", spec["domain"]!["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("vm", spec["hostname"]!.GetValue<string>());
        Assert.DoesNotContain("cloudInit", vm.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_VmNode_UsesThePodNetworkWithBridgeBinding_AndMultusForFurtherLabNetworks()
    {
        var spec = LabCompiler.Compile(Lab, Session).GetNode("vm").VirtualMachine!["spec"]!["template"]!["spec"]!;

        var interfaces = spec["domain"]!["devices"]!["interfaces"]!.AsArray();
        var networks = spec["networks"]!.AsArray();
        Assert.Equal(["default", "net-dmz"], interfaces.Select(i => i!["name"]!.GetValue<string>()));
        Assert.All(interfaces, i => Assert.NotNull(i!["bridge"]));
        Assert.NotNull(networks[0]!["pod"]);
        Assert.Equal("dmz", networks[1]!["multus"]!["networkName"]!.GetValue<string>());
    }

    [Fact]
    public void Compile_VmNode_VirtualMachineAndItsPodsCarryTheSessionNodeAndNetworkLabels()
    {
        var vm = LabCompiler.Compile(Lab, Session).GetNode("vm").VirtualMachine!;

        foreach (var labels in new[] { vm["metadata"]!["labels"]!, vm["spec"]!["template"]!["metadata"]!["labels"]! })
        {
            Assert.Equal("s1", labels[LabLabels.Session]!.GetValue<string>());
            Assert.Equal("vm", labels[LabLabels.Node]!.GetValue<string>());
            Assert.Equal(LabLabels.NodeKindVm, labels[LabLabels.NodeKind]!.GetValue<string>());
            Assert.Equal("true", labels[LabLabels.NetworkMember("lan")]!.GetValue<string>());
        }
    }

    [Fact]
    public void Compile_VmNodeWithCredentials_VirtualMachineReadsCloudInitFromASecret_AndHoldsNoPassword()
    {
        var lab = Lab with { Nodes = [Lab.Nodes[0] with { Credentials = [new CredentialDefinition { Name = "admin", Username = "ops", Password = "p\"w:1" }] }, Lab.Nodes[1]] };
        var session = Session with { Credentials = [new ResolvedCredential("vm", "admin", "ops", "p\"w:1")] };

        var plan = LabCompiler.Compile(lab, session);

        var vm = plan.GetNode("vm").VirtualMachine!;
        Assert.Empty(KubeVirt.Value.Validate(JsonNode.Parse(vm.ToJsonString()), "v1.VirtualMachine"));
        Assert.DoesNotContain("p\\\"w", vm.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("userData", vm.ToJsonString(), StringComparison.Ordinal);
        var spec = vm["spec"]!["template"]!["spec"]!;
        var volume = spec["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == VmCloudInit.Volume)!;
        Assert.Equal("vm-cloud-init", volume["cloudInitNoCloud"]!["secretRef"]!["name"]!.GetValue<string>());
        Assert.Contains(spec["domain"]!["devices"]!["disks"]!.AsArray(), d => d!["name"]!.GetValue<string>() == VmCloudInit.Volume);
        var secret = Assert.Single(plan.Secrets, s => s.Metadata.Name == "vm-cloud-init");
        Assert.Equal(
            "#cloud-config\nusers:\n  - default\n  - name: \"ops\"\n    lock_passwd: false\nchpasswd:\n  expire: false\n  list: \"ops:p\\u0022w:1\\n\"\n",
            secret.StringData[VmCloudInit.UserDataKey]);
    }

    [Fact]
    public void Compile_VmNodeWithoutCredentials_HasNoCloudInitSecret()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        Assert.DoesNotContain(plan.Secrets, s => s.Metadata.Name == VmCloudInit.SecretName("vm"));
    }

    [Fact]
    public void Validator_BrokenVirtualMachine_ReportsMissingFieldsWrongTypesAndUnknownFields()
    {
        var broken = JsonNode.Parse("""
            {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
             "spec": {"runStrategy": 1, "template": {"spec": {"domain": {"devices": {"disks": [{"bus": "virtio"}]}, "cpu": {"cores": 1.5}}, "colour": "red"}}}}
            """);

        var errors = KubeVirt.Value.Validate(broken, "v1.VirtualMachine");

        Assert.Contains(errors, e => e.Contains("$.spec.runStrategy: expected", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.spec.template.spec.domain.devices.disks[0]: missing required field 'name'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.spec.template.spec.domain.devices.disks[0]: unknown field 'bus'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.spec.template.spec.domain.cpu.cores: expected", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.spec.template.spec: unknown field 'colour'", StringComparison.Ordinal));
    }
}
