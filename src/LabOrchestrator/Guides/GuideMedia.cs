namespace LabOrchestrator.Guides;

/// <summary>
/// Resolves a path a guide refers to (an image, a page) to a file inside the guide folder. Anything that could
/// reach outside the folder is refused: absolute paths, <c>..</c>, hidden names, and links pointing elsewhere.
/// </summary>
public static class GuideMedia
{
    private static readonly Dictionary<string, (string Type, bool Active)> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = ("image/png", false),
        [".jpg"] = ("image/jpeg", false),
        [".jpeg"] = ("image/jpeg", false),
        [".gif"] = ("image/gif", false),
        [".webp"] = ("image/webp", false),
        [".avif"] = ("image/avif", false),
        [".svg"] = ("image/svg+xml", true),
        [".mp4"] = ("video/mp4", false),
        [".webm"] = ("video/webm", false),
        [".mp3"] = ("audio/mpeg", false),
        [".pdf"] = ("application/pdf", false),
        [".txt"] = ("text/plain; charset=utf-8", false),
        [".md"] = ("text/markdown; charset=utf-8", false),
        [".csv"] = ("text/csv; charset=utf-8", false),
    };

    /// <summary>The file, or null (with the reason) when the path is refused or there is no such file.</summary>
    public static GuideMediaFile? Resolve(string guideFolder, string relativePath, out string? problem)
    {
        problem = Check(relativePath);
        if (problem is not null)
        {
            return null;
        }

        if (!Types.TryGetValue(Path.GetExtension(relativePath), out var type))
        {
            problem = $"'{relativePath}' is not a file type guides may serve";
            return null;
        }

        var root = RealPath(Path.GetFullPath(guideFolder));
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!File.Exists(full))
        {
            problem = $"there is no file '{relativePath}' in the guide folder";
            return null;
        }

        var real = RealPath(full);
        if (!IsInside(real, root))
        {
            problem = $"'{relativePath}' is a link that leaves the guide folder";
            return null;
        }

        return new GuideMediaFile(real, type.Type, type.Active);
    }

    /// <summary>Why the path is refused without looking at the disk, or null when it is acceptable.</summary>
    public static string? Check(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            return "the path is empty";
        }

        if (Path.IsPathRooted(relativePath) || relativePath.Contains('\\') || relativePath.Contains(':') || relativePath.Contains('\0'))
        {
            return $"'{relativePath}' is not a relative path inside the guide folder";
        }

        var segments = relativePath.Split('/');
        if (segments.Any(s => s.Length == 0 || s.StartsWith('.')))
        {
            return $"'{relativePath}' leaves the guide folder or names a hidden file";
        }

        return null;
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it followed, as realpath(3) gives it.</summary>
    private static string RealPath(string path)
    {
        var root = Path.GetPathRoot(path)!;
        var current = root;
        var pending = new Stack<string>(path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        for (var hops = 0; pending.Count > 0;)
        {
            var segment = pending.Pop();
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, segment);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target && ++hops < 40)
            {
                var resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                var rest = Path.GetFullPath(resolved);
                current = Path.GetPathRoot(rest)!;
                foreach (var part in rest[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(part);
                }

                continue;
            }

            current = next;
        }

        return current;
    }
}
