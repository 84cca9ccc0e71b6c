namespace LabOrchestrator.Podman;

/// <summary>Where Podman 4 looks for its helper programs (containers.conf <c>helper_binaries_dir</c>), then PATH.</summary>
internal static class PodmanHelpers
{
    public static readonly string[] Folders = ["/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman", "/usr/lib/podman"];

    public static string? Find(string program) =>
        Folders.Select(f => Path.Combine(f, program)).FirstOrDefault(File.Exists) ?? ExecutableLookup.Find(program);
}
