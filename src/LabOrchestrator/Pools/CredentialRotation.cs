using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Pools;

/// <summary>
/// Sets a claimed session's fresh passwords inside its nodes, the way lab-base's entrypoint set the pool's at start:
/// <c>chpasswd</c> for each credential whose user exists in the node. It runs as one exec per node (as the node's
/// default user, root in lab-base). The passwords travel as arguments of that exec; nobody else is in the node yet.
/// </summary>
internal static class CredentialRotation
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private const string Script =
        "while [ $# -ge 2 ]; do if id \"$1\" >/dev/null 2>&1; then printf '%s:%s\\n' \"$1\" \"$2\" | chpasswd || exit 1; fi; shift 2; done";

    /// <summary>The command that sets <paramref name="credentials"/> (one node's) inside that node.</summary>
    public static IReadOnlyList<string> Command(IEnumerable<ResolvedCredential> credentials)
    {
        var command = new List<string> { "/bin/sh", "-c", Script, "lab-claim" };
        foreach (var credential in credentials)
        {
            command.Add(credential.Username);
            command.Add(credential.Password);
        }

        return command;
    }

    /// <summary>Container nodes with at least one generated password: the nodes a claim must touch.</summary>
    public static IEnumerable<NodeDefinition> NodesToRotate(LabDefinition lab) =>
        lab.Nodes.Where(n => n.Kind == NodeKind.Container && n.Credentials.Any(c => c.GeneratePassword));
}
