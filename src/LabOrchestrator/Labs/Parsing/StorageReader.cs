using System.Text.RegularExpressions;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reads a node's <c>storage</c>: folders kept per learner and lab across sessions.</summary>
internal static partial class StorageReader
{
    public const int MaxEntries = 8;
    private const int MaxPathLength = 256;
    private const string Example = "storage: [{path: /home/learner/work}]";

    /// <summary>Folders a volume must never hide: the kernel's and the runtime's, and the ones every program needs.</summary>
    private static readonly string[] Reserved = ["/bin", "/boot", "/etc", "/lib", "/lib32", "/lib64", "/sbin", "/usr", "/var"];

    /// <summary>Folders nothing may be mounted in or under.</summary>
    private static readonly string[] ReservedTrees = ["/proc", "/sys", "/dev", "/run", Compilation.LabCompiler.DesktopSocketFolder];

    public static List<StorageDefinition> Read(YamlEntry entry, string path, NodeKind kind, ValueReader values)
    {
        var storage = new List<StorageDefinition>();
        if (kind == NodeKind.Vm)
        {
            values.Diagnostics.Add(entry.Key, path, "a vm node cannot have 'storage'",
                "a virtual machine keeps its files on its own disk, which the Podman engine does not keep between sessions; remove 'storage', or use kind: container");
            return storage;
        }

        if (values.Sequence(entry.Value, path, "a list of folders", $"list each folder as '- path: /home/learner/work', e.g. {Example}") is not { } sequence)
        {
            return storage;
        }

        if (sequence.Items.Count > MaxEntries)
        {
            values.Diagnostics.Add(entry.Value, path, $"a node may keep at most {MaxEntries} folders, not {sequence.Items.Count}",
                "keep one parent folder instead of several of its children");
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = FieldPath.Item(path, i);
            if (values.Mapping(sequence.Items[i], itemPath, $"write each folder as '- path: /home/learner/work', e.g. {Example}") is not { } mapping)
            {
                continue;
            }

            var fields = values.Fields(mapping, itemPath, LabFields.Storage);
            if (fields.RequiredString("path", "name the folder in the node to keep, e.g. path: /home/learner/work") is not { } folder)
            {
                continue;
            }

            var at = fields["path"]!;
            var folderPath = fields.PathOf("path");
            if (Problem(folder) is { } problem)
            {
                values.Diagnostics.Add(at, folderPath, $"{ValueReader.Quote(folder)} {problem.Message}", problem.Hint);
                continue;
            }

            if (storage.FirstOrDefault(s => Overlaps(s.Path, folder)) is { } other)
            {
                values.Diagnostics.Add(at, folderPath,
                    other.Path == folder ? $"{ValueReader.Quote(folder)} is listed twice" : $"{ValueReader.Quote(folder)} overlaps {ValueReader.Quote(other.Path)}",
                    "list each folder once, and no folder inside another; keep the parent folder only");
                continue;
            }

            storage.Add(new StorageDefinition(folder));
        }

        return storage;
    }

    private static (string Message, string Hint)? Problem(string folder)
    {
        const string Hint = "use an absolute folder such as /home/learner/work: letters, digits and . _ - @ + ~ between slashes, no trailing slash";
        if (folder.Length > MaxPathLength)
        {
            return ($"is longer than {MaxPathLength} characters", Hint);
        }

        if (!FolderPattern().IsMatch(folder) || folder.Split('/').Any(part => part is "." or ".."))
        {
            return ("is not an absolute folder path", Hint);
        }

        if (Reserved.Contains(folder, StringComparer.Ordinal) || ReservedTrees.Any(tree => Overlaps(tree, folder)))
        {
            return ("is a system folder, which a kept volume would hide or break", "keep a folder of the learner's own, such as /home/learner/work or /srv/data");
        }

        return null;
    }

    private static bool Overlaps(string a, string b) =>
        a == b || b.StartsWith(a + "/", StringComparison.Ordinal) || a.StartsWith(b + "/", StringComparison.Ordinal);

    [GeneratedRegex("^(/[A-Za-z0-9._@+~-]+)+$")]
    private static partial Regex FolderPattern();
}
