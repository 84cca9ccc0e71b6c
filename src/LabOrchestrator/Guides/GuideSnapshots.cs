using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Security.Cryptography;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Guides;

/// <summary>
/// Keeps each session's guide as it was when the session was created. The guide folder is packed (a tar of its regular
/// files, in a fixed order with fixed times, so equal folders give equal bytes), stored once per SHA-256 in the database
/// (<see cref="GuideSnapshotEntity"/>), and unpacked on demand into a private folder of this process. Re-importing or
/// deleting a lab therefore never changes the guide of a running session, and every replica reads the same one.
/// </summary>
internal sealed partial class GuideSnapshots(IDbContextFactory<LabOrchestratorDbContext> contexts, TimeProvider time, ILogger<GuideSnapshots> logger) : IDisposable
{
    /// <summary>Largest guide folder kept (all files together); a bigger guide is not snapshotted and is read from the lab's folder.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Most files a snapshotted guide may hold.</summary>
    public const int MaxFiles = 10_000;

    /// <summary>Longest path within the guide folder a snapshot keeps (what a ustar archive holds safely).</summary>
    private const int MaxPathLength = 100;

    private sealed record Packed(string Hash, byte[] Content);

    /// <summary>Packed guides by lab version (name, update time, folder): one lab version is packed once.</summary>
    private readonly ConcurrentDictionary<(string Lab, DateTimeOffset UpdatedAt, string Folder), Packed?> packed = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> folders = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim unpacking = new(1, 1);
    private DirectoryInfo? root;

    /// <summary>
    /// Stores the lab's guide (once per content) and returns its hash; null when the lab has no guide folder, or it is too big
    /// to keep (then sessions read the lab's folder, as before snapshots).
    /// </summary>
    public async Task<string?> CaptureAsync(StoredLab lab, CancellationToken cancellationToken)
    {
        if (Pack(lab) is not { } guide)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.GuideSnapshots.AnyAsync(g => g.Hash == guide.Hash, cancellationToken).ConfigureAwait(false))
        {
            db.GuideSnapshots.Add(new GuideSnapshotEntity { Hash = guide.Hash, Content = guide.Content, CreatedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another session of the same guide may have stored it first; anything else is a real failure.
                if (!await ExistsAsync(guide.Hash, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }

        return guide.Hash;
    }

    /// <summary>The hash the lab's guide has now (what <see cref="CaptureAsync"/> would store), without storing it.</summary>
    public string? CurrentHash(StoredLab lab) => Pack(lab)?.Hash;

    /// <summary>A folder holding the guide of <paramref name="hash"/>; null when the database has no such snapshot.</summary>
    public async Task<string?> FolderAsync(string hash, CancellationToken cancellationToken)
    {
        var lazy = folders.GetOrAdd(hash, h => new Lazy<Task<string>>(() => UnpackAsync(h)));
        try
        {
            var folder = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            return folder.Length == 0 ? null : folder;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            folders.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(hash, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        unpacking.Dispose();
        try
        {
            root?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Only this process's copies; the next start makes a new folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.GuideSnapshots.AnyAsync(g => g.Hash == hash, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> UnpackAsync(string hash)
    {
        byte[]? content;
        await using (var db = await contexts.CreateDbContextAsync().ConfigureAwait(false))
        {
            content = await db.GuideSnapshots.AsNoTracking().Where(g => g.Hash == hash).Select(g => g.Content).FirstOrDefaultAsync().ConfigureAwait(false);
        }

        if (content is null)
        {
            return "";
        }

        await unpacking.WaitAsync().ConfigureAwait(false);
        try
        {
            // A folder only this process's user can enter (0700), made once per process.
            root ??= Directory.CreateTempSubdirectory("lab-orchestrator-guides-");
            var folder = Path.Combine(root.FullName, hash);
            if (!Directory.Exists(folder))
            {
                var partial = folder + ".partial";
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }

                Directory.CreateDirectory(partial);
                using (var stream = new MemoryStream(content, writable: false))
                {
                    // Refuses entries outside the folder and links; the content was packed from regular files only.
                    await TarFile.ExtractToDirectoryAsync(stream, partial, overwriteFiles: false).ConfigureAwait(false);
                }

                Directory.Move(partial, folder);
            }

            LogUnpacked(hash, folder);
            return folder;
        }
        finally
        {
            unpacking.Release();
        }
    }

    private Packed? Pack(StoredLab lab)
    {
        if (lab.Definition.Guide is not { Length: > 0 } guide || lab.SourceDirectory is null)
        {
            return null;
        }

        var folder = Path.GetFullPath(Path.Combine(lab.SourceDirectory, guide));
        return packed.GetOrAdd((lab.Name, lab.UpdatedAt, folder), key => PackFolder(key.Lab, key.Folder));
    }

    private Packed? PackFolder(string lab, string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var files = new List<(string Relative, FileInfo File)>();
        long total = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(folder)]);
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    // Links could point anywhere on this machine; guides are read without them (as the guide loader does).
                    continue;
                }

                if (entry is DirectoryInfo sub)
                {
                    pending.Push(sub);
                }
                else if (entry is FileInfo file)
                {
                    total += file.Length;
                    files.Add((Path.GetRelativePath(folder, file.FullName).Replace('\\', '/'), file));
                    if (total > MaxBytes || files.Count > MaxFiles)
                    {
                        LogTooBig(lab, folder, MaxBytes, MaxFiles);
                        return null;
                    }
                }
            }
        }

        if (files.Any(f => f.Relative.Length > MaxPathLength))
        {
            LogTooBig(lab, folder, MaxBytes, MaxFiles);
            return null;
        }

        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (relative, file) in files.OrderBy(f => f.Relative, StringComparer.Ordinal))
            {
                using var data = file.OpenRead();
                // Ustar: no access or change times, so equal folders pack to equal bytes.
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, relative)
                {
                    DataStream = data,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
        }

        var content = output.ToArray();
        return new Packed(Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Guide snapshot {Hash} unpacked into {Folder}")]
    private partial void LogUnpacked(string hash, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The guide of lab {Lab} ({Folder}) is over {MaxBytes} bytes or {MaxFiles} files, or has a path over 100 characters: its sessions read the lab's folder instead of a snapshot, so re-importing the lab changes their guide")]
    private partial void LogTooBig(string lab, string folder, long maxBytes, int maxFiles);
}
