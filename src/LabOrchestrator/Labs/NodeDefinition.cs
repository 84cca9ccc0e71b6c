namespace LabOrchestrator.Labs;

/// <summary>One machine of a lab: a container or a virtual machine.</summary>
public sealed record NodeDefinition
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public NodeKind Kind { get; init; } = NodeKind.Container;
    public AccessDefinition Access { get; init; } = new();
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public ResourcesDefinition Resources { get; init; } = new();
    /// <summary>Linux capabilities added to the container's default set, e.g. NET_ADMIN to change routes.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    /// <summary>Whether processes in the node may create user namespaces (<c>unshare -U</c>, rootless containers); refused unless the lab asks.</summary>
    public bool AllowUserNamespaces { get; init; }
    public IReadOnlyList<CredentialDefinition> Credentials { get; init; } = [];
    public IReadOnlyList<string> Networks { get; init; } = [];
    /// <summary>Folders kept per learner and lab across sessions.</summary>
    public IReadOnlyList<StorageDefinition> Storage { get; init; } = [];
}
