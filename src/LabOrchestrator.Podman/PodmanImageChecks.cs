using LabOrchestrator.Doctor;
using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman;

/// <summary>
/// The node images: every image a stored lab names is in Podman's store (a published lab with a missing image fails
/// every session), and, where the image sources are at hand (images/ of a checkout), each built image is up to date
/// with them (images/check.sh compares the content-hash label the build scripts put on it).
/// </summary>
internal sealed class PodmanImageChecks(
    ILabCatalog catalog, IOptions<PodmanEngineOptions> options, IOptions<LabOrchestratorOptions> library, PodmanUse use, ILogger<PodmanImageChecks> logger, TimeProvider time) : IHostCheckSource
{
    private readonly PodmanEngineOptions settings = options.Value;
    private readonly string databasePath = library.Value.DatabasePath;

    public string Name => "node images";

    public async Task<IReadOnlyList<HostCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<HostCheck>();
        if (!use.IsUsed)
        {
            return checks;
        }

        string socket;
        try
        {
            // PodmanHostChecks ran first and started the service (this finds it), or said why it could not.
            socket = (await new PodmanServiceLauncher(settings, logger, time).EnsureAsync(cancellationToken).ConfigureAwait(false)).SocketPath;
        }
        catch (Engines.EngineException)
        {
            return checks;
        }

        using var api = new PodmanApiClient(socket);

        IReadOnlyList<StoredLab> labs = [];
        if (File.Exists(databasePath))
        {
            labs = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        }

        var wanted = new Dictionary<string, (bool Published, List<string> Labs)>(StringComparer.Ordinal);
        foreach (var lab in labs)
        {
            foreach (var node in lab.Definition.Nodes)
            {
                IEnumerable<string> names = node.Kind == NodeKind.Vm ? [node.Image, settings.VmLauncherImage] : [node.Image];
                foreach (var image in names)
                {
                    var entry = wanted.GetValueOrDefault(image, (false, []));
                    if (!entry.Labs.Contains(lab.Name))
                    {
                        entry.Labs.Add(lab.Name);
                    }

                    wanted[image] = (entry.Published || lab.Published, entry.Labs);
                }
            }
        }

        var missing = new List<(string Image, bool Published, List<string> Labs)>();
        foreach (var (image, (published, users)) in wanted)
        {
            if (!await api.ExistsAsync($"images/{Uri.EscapeDataString(image)}/exists", cancellationToken).ConfigureAwait(false))
            {
                missing.Add((image, published, users));
            }
        }

        if (missing.Count == 0)
        {
            checks.Add(HostCheck.Ok("node images", wanted.Count == 0 ? "no lab is stored yet" : $"all {wanted.Count} image(s) of {labs.Count} lab(s) present"));
        }

        foreach (var (image, published, users) in missing)
        {
            var detail = $"{image} is missing (used by {string.Join(", ", users)})";
            var fix = $"build or pull it: images/build*.sh for the project's images (scripts/setup.sh builds them all), or podman pull {image}";
            // Sessions of a published lab would fail at once; an unpublished one is still being prepared.
            checks.Add(published ? HostCheck.Failed("node images", detail, fix) : HostCheck.Warning("node images", detail + ", not published", fix));
        }

        checks.Add(await UpToDateAsync(cancellationToken).ConfigureAwait(false));
        return checks;
    }

    private async Task<HostCheck> UpToDateAsync(CancellationToken cancellationToken)
    {
        if (FindImageSources() is not { } script)
        {
            return HostCheck.Ok("node images up to date", "not compared: no images/check.sh here (run labctl doctor in a checkout, or set Podman:ImageSources)");
        }

        var result = await HostCommand.RunAsync(script, [], cancellationToken).ConfigureAwait(false);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var notOk = lines.Where(l => !l.StartsWith("ok ", StringComparison.Ordinal)).ToList();
        if (result.ExitCode == 0 && notOk.Count == 0)
        {
            return HostCheck.Ok("node images up to date", $"{lines.Length} image(s) match their sources in {Path.GetDirectoryName(script)}");
        }

        var detail = notOk.Count > 0 ? string.Join(", ", notOk) : $"{script} exited with {result.ExitCode}: {result.Error.Trim()}";
        return HostCheck.Warning("node images up to date", detail, "rebuild them: scripts/setup.sh (builds only what changed)");
    }

    /// <summary>images/check.sh of the configured folder, else of a checkout around the working folder or this program.</summary>
    private string? FindImageSources()
    {
        if (settings.ImageSources is { } configured)
        {
            var script = Path.Combine(configured, "check.sh");
            return File.Exists(script) ? script : null;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var script = Path.Combine(folder.FullName, "images", "check.sh");
                if (File.Exists(script) && File.Exists(Path.Combine(folder.FullName, "images", "lib.sh")))
                {
                    return script;
                }
            }
        }

        return null;
    }
}
