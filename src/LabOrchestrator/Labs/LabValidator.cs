using LabOrchestrator.Guides;
using LabOrchestrator.Labs.Parsing;

namespace LabOrchestrator.Labs;

/// <summary>
/// Validates a lab completely, as upload and import must: the lab file within the administrator's ceilings, and when it
/// has a guide folder on disk, every page and step of the guide, all within one time budget. Guide problems are
/// reported under paths relative to the lab file (<c>demo/guide/intro.md:12:3</c>), never the server's folders.
/// </summary>
public static class LabValidator
{
    public static LabParseResult Validate(LabSource source, LabPolicyOptions policy, CancellationToken cancellationToken = default)
    {
        var budget = ParseBudget.Start(cancellationToken);
        var result = LabParser.Parse(source, policy, budget);
        if (!result.IsValid || result.Lab!.Guide is not { Length: > 0 } guide || source.BaseDirectory is null)
        {
            return result;
        }

        var loaded = GuideLoader.Load(Path.Combine(source.BaseDirectory, guide), result.Lab.Nodes.Select(n => n.Name).ToList(), budget);
        if (loaded.IsValid)
        {
            return result;
        }

        var shown = Path.GetDirectoryName(source.FileName) ?? "";
        var diagnostics = loaded.Diagnostics.Take(ParserLimits.MaxDiagnostics)
            .Select(d => d with { File = Relative(d.File, source.BaseDirectory, shown) })
            .ToList();
        return new LabParseResult(null, diagnostics);
    }

    private static string Relative(string file, string baseDirectory, string shown)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(baseDirectory), Path.GetFullPath(file));
        return relative.StartsWith("..", StringComparison.Ordinal) ? file : Path.Combine(shown, relative).Replace('\\', '/');
    }
}
