namespace LabOrchestrator.Labs.Parsing;

/// <summary>Builds the field paths diagnostics show, such as <c>nodes[1].access.http[0].port</c>.</summary>
internal static class FieldPath
{
    public static string Child(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public static string Item(string path, int index) => $"{path}[{index}]";
}
