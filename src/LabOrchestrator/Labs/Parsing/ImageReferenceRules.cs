namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Checks an OCI image reference, <c>[registry/]repository[:tag][@sha256:digest]</c>, by the distribution reference
/// grammar, naming the part that is wrong: Podman and Kubernetes only say "invalid reference format".
/// </summary>
internal static class ImageReferenceRules
{
    private const int MaxNameLength = 255;
    private const string DockerHub = "docker.io";
    private const string Hint = "use [registry/]repository[:tag][@sha256:digest], e.g. docker.io/library/alpine:3.20";

    public static void Check(string image, YamlValue at, string path, DiagnosticBag diagnostics, IReadOnlyList<string> allowedRegistries)
    {
        var (reason, hint) = Problem(image);
        if (reason is not null)
        {
            diagnostics.Add(at, path, $"{ValueReader.Quote(image)} is not a valid image reference ({reason})", hint);
            return;
        }

        var registry = RegistryOf(image);
        if (!allowedRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase))
        {
            diagnostics.Add(at, path, $"images from the registry '{registry}' are not allowed (Labs:AllowedRegistries: {string.Join(", ", allowedRegistries)})",
                "use an image from an allowed registry, or ask the administrator to add this one to Labs:AllowedRegistries");
        }
    }

    /// <summary>The registry host of a valid reference; a reference without one is a Docker Hub image, as Podman and Kubernetes read it.</summary>
    internal static string RegistryOf(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return DockerHub;
        }

        var first = image[..slash];
        var isHost = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost" || first.Any(char.IsAsciiLetterUpper);
        return !isHost ? DockerHub : first.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" ? DockerHub : first;
    }

    private static (string? Reason, string? Hint) Problem(string image)
    {
        if (image.Any(char.IsWhiteSpace))
        {
            return ("it contains whitespace", "remove the spaces");
        }

        var name = image;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!LabPatterns.ImageDigest().IsMatch(name[(at + 1)..]))
            {
                return ("the digest must be 'sha256:' followed by 64 lowercase hexadecimal digits", Hint);
            }

            name = name[..at];
        }

        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            var tag = name[(colon + 1)..];
            if (tag.Length == 0)
            {
                return ("the tag after ':' is empty", "remove the ':' or add a tag, e.g. ':latest'");
            }

            if (!LabPatterns.ImageTag().IsMatch(tag))
            {
                return ("a tag may contain only letters, digits, '_', '.' and '-', at most 128 characters", Hint);
            }

            name = name[..colon];
        }

        return NameProblem(name, image);
    }

    private static (string? Reason, string? Hint) NameProblem(string name, string image)
    {
        if (name.Length == 0)
        {
            return ("the repository name is missing", Hint);
        }

        if (name.Length > MaxNameLength)
        {
            return ($"the name is longer than {MaxNameLength} characters", null);
        }

        var components = name.Split('/');
        var first = components[0];
        var hasRegistry = components.Length > 1 && (first.Contains('.', StringComparison.Ordinal)
            || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.Any(char.IsAsciiLetterUpper));
        if (hasRegistry && !LabPatterns.RegistryHost().IsMatch(first))
        {
            return ($"'{first}' is not a valid registry host", Hint);
        }

        foreach (var component in components.Skip(hasRegistry ? 1 : 0))
        {
            if (component.Any(char.IsAsciiLetterUpper))
            {
                return ("repository names must be lowercase", $"try '{Lowercased(image, hasRegistry)}'");
            }

            if (!LabPatterns.RepositoryComponent().IsMatch(component))
            {
                return ("repository path components may contain only lowercase letters and digits, separated by '.', '_', '__' or '-'", Hint);
            }
        }

        return (null, null);
    }

    /// <summary>The reference with its repository lowercased; the registry and tag may keep capitals.</summary>
    private static string Lowercased(string image, bool hasRegistry)
    {
        var start = hasRegistry ? image.IndexOf('/', StringComparison.Ordinal) + 1 : 0;
        var end = image.IndexOfAny([':', '@'], start);
        if (end < 0)
        {
            end = image.Length;
        }

        return image[..start] + image[start..end].ToLowerInvariant() + image[end..];
    }
}
