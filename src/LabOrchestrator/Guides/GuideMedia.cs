namespace LabOrchestrator.Guides;

/// <summary>
/// Resolves a path a guide refers to (an image, a page) to a file inside the guide folder. Anything that could
/// reach outside the folder is refused: absolute paths, <c>..</c>, hidden names, and links pointing elsewhere.
/// Media is served to learners only from the guide's <c>media/</c> folder and only for an allow-list of types:
/// pages hold the solve and check scripts, so they and any other file of the guide are never served.
/// </summary>
public static class GuideMedia
{
    /// <summary>The folder of a guide whose files learners may download.</summary>
    public const string Folder = "media";

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
        [".ogg"] = ("audio/ogg", false),
        [".pdf"] = ("application/pdf", false),
    };

    /// <summary>The file types media may have, for messages and docs.</summary>
    public static IEnumerable<string> Extensions => Types.Keys;

    /// <summary>
    /// A media file learners may download: <paramref name="mediaPath"/> is relative to the guide's <c>media/</c>
    /// folder, must have an allowed type, and must stay inside that folder after links are followed. Null (with the
    /// reason) otherwise.
    /// </summary>
    public static GuideMediaFile? Resolve(string guideFolder, string mediaPath, out string? problem)
    {
        problem = Check(mediaPath);
        if (problem is not null)
        {
            return null;
        }

        if (!Types.TryGetValue(Path.GetExtension(mediaPath), out var type))
        {
            problem = $"'{mediaPath}' is not a file type guides may serve (allowed: {string.Join(", ", Types.Keys)})";
            return null;
        }

        var media = Path.Combine(guideFolder, Folder);
        if (!Directory.Exists(media))
        {
            problem = $"the guide has no {Folder}/ folder";
            return null;
        }

        return ResolveFile(media, mediaPath, out problem) is { } full ? new GuideMediaFile(full, type.Type, type.Active) : null;
    }

    /// <summary>The path of an image below the <c>media/</c> folder, or null when a page's image URL does not point into it.</summary>
    public static string? MediaPathOf(string url) =>
        url.StartsWith(Folder + "/", StringComparison.Ordinal) ? url[(Folder.Length + 1)..] : null;

    /// <summary>Any file of the guide folder (a page, for the loader); never for serving to learners.</summary>
    internal static string? ResolveFile(string guideFolder, string relativePath, out string? problem)
    {
        problem = Check(relativePath);
        if (problem is not null)
        {
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

        return real;
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
