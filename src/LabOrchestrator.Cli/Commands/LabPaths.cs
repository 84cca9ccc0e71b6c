using System.CommandLine;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Cli.Commands;

/// <summary>Reads and parses the labs named on the command line, keeping every problem of every lab.</summary>
internal static class LabPaths
{
    public static Argument<string[]> CreateArgument() => new("PATH")
    {
        Description = "A lab file, or a folder with a lab.yaml",
        Arity = ArgumentArity.OneOrMore,
    };

    public static IReadOnlyList<CheckedLab> Check(IEnumerable<string> paths) => paths.Select(Check).ToList();

    private static CheckedLab Check(string path)
    {
        LabSource source;
        try
        {
            source = LabSource.FromPath(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CheckedLab(path, null, null, [], ex.Message);
        }

        // The whole lab, guide included, as the server checks an upload; ceilings are the defaults (docs/lab-format.md).
        var result = LabValidator.Validate(source, new LabPolicyOptions());
        if (result.IsValid)
        {
            return new CheckedLab(path, source, result.Lab, [], null);
        }

        return new CheckedLab(path, source, null, result.Diagnostics,
            result.Diagnostics.Count == 0 ? $"{path}: the lab could not be read." : null);
    }

    /// <summary>Writes each diagnostic (or the read error) of an invalid lab on its own line.</summary>
    public static async Task WriteProblemsAsync(TextWriter error, CheckedLab lab)
    {
        foreach (var diagnostic in lab.Diagnostics)
        {
            await error.WriteLineAsync(diagnostic.ToString());
        }

        if (lab.ReadError is not null)
        {
            await error.WriteLineAsync($"error: {lab.ReadError}");
        }
    }
}
