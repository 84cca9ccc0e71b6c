using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Labs;

/// <summary>
/// Writes labs for the API: YAML bodies straight into the catalogue, archives into a server-managed folder per lab
/// (<c>&lt;database folder&gt;/labs/&lt;name&gt;/</c>). An archive is unpacked into a staging folder and validated there;
/// only a valid lab is moved into place, by renaming, so a failed upload stores nothing and a lab's folder is never half-written.
/// New labs start unpublished: learners see them once an instructor publishes them.
/// </summary>
internal sealed partial class LabStore(
    ILabCatalog catalog, IOptions<LabOrchestratorOptions> library, IOptions<LabsOptions> options, IOptions<LabPolicyOptions> policy, ILogger<LabStore> logger)
{
    private const string StagingFolder = ".staging";
    private const string TrashFolder = ".trash";

    // One writer at a time: renaming folders and writing the catalogue must not interleave for the same lab.
    private readonly SemaphoreSlim writes = new(1, 1);

    public string Root => Path.GetFullPath(options.Value.Folder ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(library.Value.DatabasePath))!, "labs"));

    /// <summary>Stores a lab file; when <paramref name="expectedName"/> is given the file must name that lab.</summary>
    public async Task<LabSaveResult> SaveYamlAsync(string yaml, string? expectedName, CancellationToken cancellationToken)
    {
        var fileName = expectedName is null ? LabSource.DefaultFileName : $"{expectedName}/{LabSource.DefaultFileName}";
        // The name decides the folder, so the file is read first; the catalogue then validates it with its guide.
        var definition = LabParser.Parse(new LabSource(yaml, fileName, null), policy.Value, cancellationToken).GetLabOrThrow();
        EnsureName(definition.Name, expectedName);
        await writes.WaitAsync(cancellationToken);
        try
        {
            // A lab uploaded as an archive keeps its folder (and guide) when only its YAML is replaced.
            var folder = FolderOf(definition.Name);
            var existing = await catalog.GetAsync(definition.Name, cancellationToken);
            var stored = await catalog.AddOrUpdateAsync(new LabSource(yaml, fileName, Directory.Exists(folder) ? folder : null), publishIfNew: false, cancellationToken);
            return new LabSaveResult(stored, existing is null);
        }
        finally
        {
            writes.Release();
        }
    }

    /// <summary>Unpacks, validates and stores an uploaded .tar.gz or .zip; nothing is kept unless all of it is valid.</summary>
    public async Task<LabSaveResult> SaveArchiveAsync(Stream archive, string? expectedName, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(Root, StagingFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            await new LabArchiveExtractor(options.Value.MaxArchiveEntries, options.Value.MaxArchiveBytes).ExtractAsync(archive, staging, cancellationToken);
            var (labRoot, fileName) = FindLabFile(staging);
            var yaml = await File.ReadAllTextAsync(Path.Combine(labRoot, LabSource.DefaultFileName), cancellationToken);
            // Lab and guide are validated in the staging folder, before anything replaces the stored lab.
            var definition = LabValidator.Validate(new LabSource(yaml, fileName, labRoot), policy.Value, cancellationToken).GetLabOrThrow();
            EnsureName(definition.Name, expectedName);
            return await MoveIntoPlaceAsync(labRoot, yaml, fileName, definition.Name, cancellationToken);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    /// <summary>Removes a lab from the catalogue and its folder; false when there was no such lab.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            var folder = FolderOf(name);
            var removed = await catalog.RemoveAsync(name, cancellationToken);
            if (Directory.Exists(folder))
            {
                TryDelete(folder);
            }

            return removed;
        }
        finally
        {
            writes.Release();
        }
    }

    private async Task<LabSaveResult> MoveIntoPlaceAsync(string labRoot, string yaml, string fileName, string name, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            var existing = await catalog.GetAsync(name, cancellationToken);
            var final = FolderOf(name);
            string? previous = null;
            if (Directory.Exists(final))
            {
                previous = Path.Combine(Root, TrashFolder, Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(Path.GetDirectoryName(previous)!);
                Directory.Move(final, previous);
            }

            Directory.Move(labRoot, final);
            try
            {
                var stored = await catalog.AddOrUpdateAsync(new LabSource(yaml, fileName, final), publishIfNew: false, CancellationToken.None);
                if (previous is not null)
                {
                    TryDelete(previous);
                }

                LogStored(name, final);
                return new LabSaveResult(stored, existing is null);
            }
            catch
            {
                TryDelete(final);
                if (previous is not null)
                {
                    Directory.Move(previous, final);
                }

                throw;
            }
        }
        finally
        {
            writes.Release();
        }
    }

    /// <summary>lab.yaml at the archive's root, or inside its one top folder (as `tar czf lab.tar.gz mylab/` makes).</summary>
    private static (string Folder, string FileName) FindLabFile(string staging)
    {
        if (File.Exists(Path.Combine(staging, LabSource.DefaultFileName)))
        {
            return (staging, LabSource.DefaultFileName);
        }

        var folders = Directory.GetDirectories(staging);
        if (folders.Length == 1 && Directory.GetFiles(staging).Length == 0 && File.Exists(Path.Combine(folders[0], LabSource.DefaultFileName)))
        {
            return (folders[0], $"{Path.GetFileName(folders[0])}/{LabSource.DefaultFileName}");
        }

        throw LabProblems.BadArchive($"The archive has no {LabSource.DefaultFileName} at its root or inside one top folder.");
    }

    private static void EnsureName(string actual, string? expected)
    {
        if (expected is not null && actual != expected)
        {
            throw new RequestProblemException(
                StatusCodes.Status400BadRequest,
                "The lab's name does not match the URL",
                $"The file names the lab '{actual}' but the URL names '{expected}'; make them the same.",
                "name");
        }
    }

    /// <summary>Lab names are DNS labels (the parser enforces it); checked again here since a name from a URL becomes a folder.</summary>
    private string FolderOf(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && name[0] != '-'
            ? Path.Combine(Root, name)
            : throw LabProblems.NotFound(name);

    private void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(folder, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lab {Lab} stored in {Folder}")]
    private partial void LogStored(string lab, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Folder}: {Reason}")]
    private partial void LogDeleteFailed(string folder, string reason);
}
