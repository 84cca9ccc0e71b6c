namespace LabOrchestrator.Labs;

/// <summary>The text of a lab file, the name to report problems under, and the folder relative paths start from.</summary>
public sealed record LabSource(string Yaml, string FileName, string? BaseDirectory)
{
    /// <summary>Default file name looked for when a folder is given.</summary>
    public const string DefaultFileName = "lab.yaml";

    /// <summary>Reads a lab file, or the lab.yaml inside a folder.</summary>
    public static LabSource FromPath(string path)
    {
        var file = Directory.Exists(path) ? System.IO.Path.Combine(path, DefaultFileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException(
                Directory.Exists(path)
                    ? $"The folder '{path}' has no {DefaultFileName}. Point at the lab file itself or add {DefaultFileName}."
                    : $"There is no lab file at '{path}'.",
                file);
        }

        var full = System.IO.Path.GetFullPath(file);
        return new LabSource(File.ReadAllText(full), file, System.IO.Path.GetDirectoryName(full));
    }
}
