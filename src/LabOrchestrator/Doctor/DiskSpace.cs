namespace LabOrchestrator.Doctor;

/// <summary>Free space where something grows (the database, an engine's image and container storage).</summary>
public static class DiskSpace
{
    /// <summary>Below this, sessions and image builds fail.</summary>
    public const long RequiredBytes = 2L << 30;

    /// <summary>Below this, a class of sessions or one image build may fill the disk.</summary>
    public const long ComfortableBytes = 10L << 30;

    /// <summary>Checks the file system that holds <paramref name="path"/> (or its nearest existing parent).</summary>
    public static HostCheck Check(string name, string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var free = new DriveInfo(existing).AvailableFreeSpace;
        var detail = $"{Gigabytes(free)} free on the file system of {path}";
        return free switch
        {
            < RequiredBytes => HostCheck.Failed(name, detail, $"free at least {Gigabytes(RequiredBytes)} there (e.g. podman system prune, or remove old files)"),
            < ComfortableBytes => HostCheck.Warning(name, detail, $"keep at least {Gigabytes(ComfortableBytes)} free for images and sessions"),
            _ => HostCheck.Ok(name, detail),
        };
    }

    private static string Gigabytes(long bytes) => $"{bytes / (double)(1L << 30):0.#} GB";
}
