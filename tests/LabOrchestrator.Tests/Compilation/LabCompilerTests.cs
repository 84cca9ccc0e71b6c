using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Compilation;

public sealed class LabCompilerTests
{
    private static readonly LabDefinition Lab = new()
    {
        Name = "routing",
        Networks = [new NetworkDefinition("left"), new NetworkDefinition("right")],
        Nodes =
        [
            new NodeDefinition { Name = "a", Image = "localhost/lab-base:latest", Networks = ["left"] },
            new NodeDefinition
            {
                Name = "router",
                Image = "localhost/lab-base:latest",
                Networks = ["left", "right"],
                Env = new Dictionary<string, string> { ["MODE"] = "route" },
                Resources = new ResourcesDefinition { Cpu = "500m", Memory = "128Mi" },
                Access = new AccessDefinition { Http = [new HttpPortDefinition("web", 8080)] },
                Credentials = [new CredentialDefinition { Name = "admin", Username = "root", GeneratePassword = true }],
                Capabilities = ["NET_ADMIN"],
            },
            new NodeDefinition { Name = "b", Image = "localhost/lab-base:latest", Networks = ["right"], Command = ["sleep"], Args = ["infinity"] },
        ],
    };

    private static readonly SessionContext Session = new("s1", "alice", [new ResolvedCredential("router", "admin", "root", "hunter2-secret")]);

    [Fact]
    public void Compile_EveryObject_CarriesTheSessionLabels()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var metadata = new List<V1ObjectMeta> { plan.Namespace.Metadata };
        metadata.AddRange(plan.Nodes.Select(n => n.Pod.Metadata));
        metadata.AddRange(plan.Secrets.Select(s => s.Metadata));
        metadata.AddRange(plan.Services.Select(s => s.Metadata));
        metadata.AddRange(plan.NetworkPolicies.Select(p => p.Metadata));
        Assert.All(metadata, m =>
        {
            Assert.Equal("s1", m.Labels[LabLabels.Session]);
            Assert.Equal("routing", m.Labels[LabLabels.Lab]);
        });
        Assert.All(metadata.Skip(1), m => Assert.Equal("lab-s1", m.NamespaceProperty));
    }

    [Fact]
    public void Compile_NodeOnTwoNetworks_IsMemberOfBoth()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var router = plan.GetNode("router");
        Assert.Equal(["left", "right"], router.Networks);
        Assert.Equal("true", router.Pod.Metadata.Labels[LabLabels.NetworkMember("left")]);
        Assert.Equal("true", router.Pod.Metadata.Labels[LabLabels.NetworkMember("right")]);
        Assert.False(plan.GetNode("a").Pod.Metadata.Labels.ContainsKey(LabLabels.NetworkMember("right")));
        Assert.Equal(["a", "router"], plan.Networks.Single(n => n.Name == "left").Nodes);
    }

    [Fact]
    public void Compile_NetworkPolicies_DenyByDefaultAndAllowOnlyWithinEachNetwork()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var deny = plan.NetworkPolicies.Single(p => p.Metadata.Name == "default-deny");
        Assert.Empty(deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Null(deny.Spec.Ingress);
        var left = plan.NetworkPolicies.Single(p => p.Metadata.Name == "network-left");
        var peer = Assert.Single(Assert.Single(left.Spec.Ingress).FromProperty);
        Assert.Equal("true", peer.PodSelector.MatchLabels[LabLabels.NetworkMember("left")]);
        Assert.Equal("true", left.Spec.PodSelector.MatchLabels[LabLabels.NetworkMember("left")]);
    }

    [Fact]
    public void Compile_Credentials_ReachTheNodeThroughTheSecretOnly()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var container = plan.GetNode("router").Pod.Spec.Containers.Single();
        var password = container.Env.Single(e => e.Name == "LAB_CREDENTIAL_ADMIN_PASSWORD");
        Assert.Null(password.Value);
        Assert.Equal(LabCompiler.CredentialsSecretName, password.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("hunter2-secret", Assert.Single(plan.Secrets).StringData[password.ValueFrom.SecretKeyRef.Key]);
        Assert.DoesNotContain("hunter2-secret", KubernetesYaml.Serialize(plan.GetNode("router").Pod), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_Pod_KeepsImageCommandEnvPortsAndResources()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var router = plan.GetNode("router").Pod;
        Assert.Equal("router", router.Metadata.Name);
        Assert.Equal("router", router.Spec.Hostname);
        var container = router.Spec.Containers.Single();
        Assert.Equal("localhost/lab-base:latest", container.Image);
        Assert.Contains(container.Env, e => e is { Name: "MODE", Value: "route" });
        Assert.Contains(container.Env, e => e is { Name: "LAB_SESSION_ID", Value: "s1" });
        var port = Assert.Single(container.Ports);
        Assert.Equal(("web", 8080), (port.Name, port.ContainerPort));
        Assert.Equal("500m", container.Resources.Limits["cpu"].ToString());
        Assert.Equal("128Mi", container.Resources.Limits["memory"].ToString());
        var b = plan.GetNode("b").Pod.Spec.Containers.Single();
        Assert.Equal(["sleep"], b.Command);
        Assert.Equal(["infinity"], b.Args);
    }

    [Fact]
    public void Compile_Capabilities_AreAddedToTheBaseSetAfterDroppingAll()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var router = plan.GetNode("router").Pod.Spec.Containers.Single();
        Assert.Equal(["ALL"], router.SecurityContext.Capabilities.Drop);
        Assert.Equal([.. NodeSecurity.BaseCapabilities, "NET_ADMIN"], router.SecurityContext.Capabilities.Add);
        Assert.False(router.SecurityContext.Privileged);
        var plain = plan.GetNode("a").Pod.Spec.Containers.Single().SecurityContext;
        Assert.Equal(NodeSecurity.BaseCapabilities, plain.Capabilities.Add);
        Assert.DoesNotContain("NET_RAW", plain.Capabilities.Add);
        Assert.DoesNotContain("MKNOD", plain.Capabilities.Add);
    }

    [Fact]
    public void Compile_EveryNode_GetsAHeadlessServiceNamedLikeIt()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        Assert.Equal(["a", "router", "b"], plan.Services.Select(s => s.Metadata.Name));
        Assert.All(plan.Services, s => Assert.Equal("None", s.Spec.ClusterIP));
        Assert.Equal("router", plan.Services[1].Spec.Selector[LabLabels.Node]);
    }

    [Fact]
    public void Compile_TwoSessions_ShareNoNames()
    {
        var first = LabCompiler.Compile(Lab, Session);
        var second = LabCompiler.Compile(Lab, Session with { SessionId = "s2" });

        Assert.NotEqual(first.Namespace.Metadata.Name, second.Namespace.Metadata.Name);
        Assert.All(second.Nodes, n => Assert.Equal("s2", n.Pod.Metadata.Labels[LabLabels.Session]));
    }

    [Fact]
    public void Compile_Pod_SerializesToValidKubernetesYaml()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        var yaml = KubernetesYaml.Serialize(plan.GetNode("router").Pod);
        var back = KubernetesYaml.Deserialize<V1Pod>(yaml);
        Assert.Equal("Pod", back.Kind);
        Assert.Equal("lab-s1", back.Metadata.NamespaceProperty);
        Assert.Equal(plan.GetNode("router").Pod.Spec.Containers[0].Env.Count, back.Spec.Containers[0].Env.Count);
    }
}
