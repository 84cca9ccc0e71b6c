using System.Formats.Tar;
using System.IO.Compression;

namespace LabOrchestrator.Server.Labs;

/// <summary>
/// Unpacks an uploaded .tar.gz or .zip into an empty folder, refusing anything that could write outside it or exhaust
/// the disk: absolute paths, <c>..</c>, links, devices, too many entries, too many bytes. Sizes are counted while
/// writing, not taken from headers, which a crafted archive can fake.
/// </summary>
internal sealed class LabArchiveExtractor(int maxEntries, long maxBytes)
{
    private int entries;
    private long bytes;

    public async Task ExtractAsync(Stream archive, string target, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(target);
        var header = new byte[4];
        var read = await archive.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        archive.Position = 0;
        try
        {
            if (read >= 2 && header[0] == 0x1f && header[1] == 0x8b)
            {
                await ExtractTarGzAsync(archive, root, cancellationToken);
            }
            else if (read == 4 && header[0] == (byte)'P' && header[1] == (byte)'K' && header[2] == 3 && header[3] == 4)
            {
                await ExtractZipAsync(archive, root, cancellationToken);
            }
            else
            {
                throw LabProblems.BadArchive("The upload is neither a .tar.gz nor a .zip archive.");
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException
                                       or OverflowException or NotSupportedException or IOException)
        {
            // Truncated, damaged or exotic archives (encrypted zip entries, unknown compression, bad tar headers) and
            // names the file system cannot hold: all faults of the upload, never of the server.
            throw LabProblems.BadArchive($"The archive is damaged or not in a supported format ({e.Message.TrimEnd('.')}).");
        }
    }

    private async Task ExtractTarGzAsync(Stream archive, string root, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            switch (entry.EntryType)
            {
                case TarEntryType.GlobalExtendedAttributes:
                    continue;
                case TarEntryType.Directory:
                    CreateFolder(root, Resolve(root, entry.Name), entry.Name);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    await WriteFileAsync(root, Resolve(root, entry.Name), entry.Name, entry.DataStream, cancellationToken);
                    break;
                default:
                    throw LabProblems.BadArchive($"The entry '{entry.Name}' is a {Describe(entry.EntryType)}; only files and folders are accepted.");
            }
        }
    }

    private async Task ExtractZipAsync(Stream archive, string root, CancellationToken cancellationToken)
    {
        await using var zip = await ZipArchive.CreateAsync(archive, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        foreach (var entry in zip.Entries)
        {
            var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
            if (unixType is not (0 or 0x8000 or 0x4000))
            {
                throw LabProblems.BadArchive($"The entry '{entry.FullName}' is a {(unixType == 0xA000 ? "symbolic link" : "special file")}; only files and folders are accepted.");
            }

            var path = Resolve(root, entry.FullName);
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || unixType == 0x4000)
            {
                CreateFolder(root, path, entry.FullName);
                continue;
            }

            await using var data = await entry.OpenAsync(cancellationToken);
            await WriteFileAsync(root, path, entry.FullName, data, cancellationToken);
        }
    }

    /// <summary>The full path of an entry inside <paramref name="root"/>; refuses names that could leave it.</summary>
    private string Resolve(string root, string name)
    {
        if (++entries > maxEntries)
        {
            throw LabProblems.BadArchive($"The archive holds more than {maxEntries} entries (Labs:MaxArchiveEntries).");
        }

        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length > 1 && normalized[1] == ':'))
        {
            throw LabProblems.BadArchive($"The entry '{name}' has an absolute path; entries must be relative to the archive's root.");
        }

        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            throw LabProblems.BadArchive($"The entry '{name}' contains '..' and would be written outside the lab's folder.");
        }

        if (normalized.Any(char.IsControl))
        {
            throw LabProblems.BadArchive($"The entry '{name}' has control characters in its name.");
        }

        var full = Path.GetFullPath(Path.Combine([root, .. segments]));
        if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw LabProblems.BadArchive($"The entry '{name}' would be written outside the lab's folder.");
        }

        return full;
    }

    /// <summary>A folder for an entry; refused when a file of the archive already has its name or a parent's.</summary>
    private static void CreateFolder(string root, string path, string name)
    {
        EnsureParentsAreFolders(root, path, name);
        if (File.Exists(path))
        {
            throw Clash(name);
        }

        Directory.CreateDirectory(path);
    }

    private static void EnsureParentsAreFolders(string root, string path, string name)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw Clash(name);
            }
        }
    }

    private static RequestProblemException Clash(string name) =>
        LabProblems.BadArchive($"The entry '{name}' needs a name that the archive also uses for a file and a folder; give them different names.");

    private async Task WriteFileAsync(string root, string path, string name, Stream? data, CancellationToken cancellationToken)
    {
        EnsureParentsAreFolders(root, path, name);
        if (Directory.Exists(path))
        {
            throw Clash(name);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        if (data is null)
        {
            return;
        }

        var buffer = new byte[81920];
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
        {
            bytes += read;
            if (bytes > maxBytes)
            {
                throw LabProblems.BadArchive($"The archive unpacks to more than {maxBytes} bytes (Labs:MaxArchiveBytes).");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.CharacterDevice or TarEntryType.BlockDevice => "device file",
        TarEntryType.Fifo => "named pipe",
        _ => $"{type} entry",
    };
}
