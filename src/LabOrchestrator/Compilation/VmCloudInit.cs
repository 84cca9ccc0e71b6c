using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace LabOrchestrator.Compilation;

/// <summary>
/// A VM node's credentials on Kubernetes: cloud-init user-data (NoCloud) that creates each credential's user and sets
/// its password, kept in a Secret of the session's namespace that the VirtualMachine names (<c>secretRef</c>), so the
/// passwords are never in the VirtualMachine itself. Container nodes get the same credentials as environment variables
/// from the credentials Secret; the Podman engine's VM launcher gets those too.
/// </summary>
public static class VmCloudInit
{
    /// <summary>The key KubeVirt reads the user-data from.</summary>
    public const string UserDataKey = "userdata";

    /// <summary>The name of the cloud-init disk and volume in the VirtualMachine.</summary>
    public const string Volume = "cloudinit";

    public static string SecretName(string node) => $"{node}-cloud-init";

    /// <summary>
    /// <c>#cloud-config</c> keeping the image's default user and adding one unlocked user per credential, whose password
    /// <c>chpasswd</c> sets (not expired: the learner logs in with the password the lab shows). Strings are written as
    /// JSON strings, which YAML reads as they are, whatever characters a password holds.
    /// </summary>
    public static string UserData(IEnumerable<ResolvedCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var list = credentials.ToList();
        var data = new StringBuilder("#cloud-config\nusers:\n  - default\n");
        foreach (var credential in list)
        {
            data.Append("  - name: ").Append(Quote(credential.Username)).Append('\n')
                .Append("    lock_passwd: false\n");
        }

        data.Append("chpasswd:\n  expire: false\n  list: ")
            .Append(Quote(string.Concat(list.Select(c => $"{c.Username}:{c.Password}\n"))))
            .Append('\n');
        return data.ToString();
    }

    public static V1Secret Secret(string node, IEnumerable<ResolvedCredential> credentials, string ns, IReadOnlyDictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = SecretName(node), NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels) },
        Type = "Opaque",
        StringData = new Dictionary<string, string> { [UserDataKey] = UserData(credentials) },
    };

    /// <summary>Adds the NoCloud disk reading the node's Secret to a compiled VirtualMachine.</summary>
    public static void Attach(JsonObject virtualMachine, string node)
    {
        ArgumentNullException.ThrowIfNull(virtualMachine);
        var spec = virtualMachine["spec"]!["template"]!["spec"]!;
        spec["domain"]!["devices"]!["disks"]!.AsArray().Add(new JsonObject { ["name"] = Volume, ["disk"] = new JsonObject { ["bus"] = "virtio" } });
        spec["volumes"]!.AsArray().Add(new JsonObject
        {
            ["name"] = Volume,
            ["cloudInitNoCloud"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = SecretName(node) } },
        });
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
