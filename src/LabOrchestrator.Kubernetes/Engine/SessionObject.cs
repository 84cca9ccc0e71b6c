using System.Text.Json.Nodes;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>One object of a session as the engine applies it: where it lives in the API and its body (with apiVersion and kind).</summary>
internal sealed record SessionObject(string Group, string Version, string Plural, string? Namespace, string Name, JsonObject Body)
{
    public string Kind => Body["kind"]!.GetValue<string>();

    public override string ToString() => $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name}";
}
