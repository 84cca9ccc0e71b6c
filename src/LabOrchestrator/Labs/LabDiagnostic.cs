namespace LabOrchestrator.Labs;

/// <summary>One problem found in a lab file: where it is, what is wrong and how to fix it.</summary>
public sealed record LabDiagnostic(string File, int Line, int Column, string Path, string Message, string? Hint = null)
{
    public override string ToString()
    {
        var where = Path.Length == 0 ? "" : $"{Path}: ";
        var hint = Hint is null ? "" : $" ({Hint})";
        return $"{File}:{Line}:{Column}: error: {where}{Message}{hint}";
    }
}
