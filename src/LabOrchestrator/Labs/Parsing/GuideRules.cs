namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// The guide folder is read from disk when the lab is imported; a path leaving the lab folder could expose other
/// files on the server, so only relative paths inside it are accepted.
/// </summary>
internal static class GuideRules
{
    private const string Example = "give the folder relative to the lab file, e.g. guide/";

    public static string? Read(YamlValue value, string path, string? baseDirectory, ValueReader values)
    {
        if (value is YamlScalarValue { IsNull: true })
        {
            return null;
        }

        if (values.String(value, path) is not { } guide)
        {
            return null;
        }

        var diagnostics = values.Diagnostics;
        if (guide.Trim().Length == 0)
        {
            diagnostics.Add(value, path, "must not be empty", Example);
            return null;
        }

        if (Path.IsPathRooted(guide) || guide.StartsWith('\\') || (guide.Length > 1 && guide[1] == ':'))
        {
            diagnostics.Add(value, path, $"{ValueReader.Quote(guide)} is an absolute path", Example);
            return null;
        }

        if (guide.Split('/', '\\').Contains(".."))
        {
            diagnostics.Add(value, path, $"{ValueReader.Quote(guide)} leaves the lab folder", "keep the guide inside the lab folder, e.g. guide/");
            return null;
        }

        if (baseDirectory is not null)
        {
            var full = Path.Combine(baseDirectory, guide);
            if (File.Exists(full))
            {
                diagnostics.Add(value, path, $"{ValueReader.Quote(guide)} is a file, not a folder", "point at the folder that holds the guide's Markdown pages");
                return null;
            }

            if (!Directory.Exists(full))
            {
                diagnostics.Add(value, path, $"there is no folder {ValueReader.Quote(guide)} next to the lab file", "create the folder, or correct the path");
                return null;
            }
        }

        return guide;
    }
}
