namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// The field names each mapping of a lab file accepts, in documentation order. Tests compare these with the JSON
/// schema so that the parser, the schema and the reference cannot drift apart.
/// </summary>
internal static class LabFields
{
    public static readonly IReadOnlyList<string> Lab = ["name", "title", "description", "tags", "networks", "nodes", "guide", "limits", "egress", "pool"];

    public static readonly IReadOnlyList<string> Network = ["name"];

    public static readonly IReadOnlyList<string> Node =
        ["name", "image", "kind", "access", "command", "args", "env", "resources", "capabilities", "allowUserNamespaces", "credentials", "networks", "storage"];

    public static readonly IReadOnlyList<string> Access = ["terminal", "user", "desktop", "http"];

    public static readonly IReadOnlyList<string> HttpPort = ["name", "port"];

    public static readonly IReadOnlyList<string> Resources = ["cpu", "memory"];

    public static readonly IReadOnlyList<string> Credential = ["name", "username", "password"];

    public static readonly IReadOnlyList<string> Storage = ["path"];

    public static readonly IReadOnlyList<string> Limits = ["duration", "idleTimeout", "maxExtensions", "extendBy", "pausedFor"];

    public static readonly IReadOnlyList<string> Pool = ["size"];
}
