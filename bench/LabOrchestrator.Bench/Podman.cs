using System.Diagnostics;

namespace LabOrchestrator.Bench;

/// <summary>The podman command line, with the containers.conf these machines need (see images/containers.conf).</summary>
internal static class Podman
{
    public static async Task RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["CONTAINERS_CONF"] = Environment.GetEnvironmentVariable("CONTAINERS_CONF") ?? Repository.Path("images", "containers.conf");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("podman did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"podman {string.Join(' ', args)} failed: {await stderr}{await stdout}");
        }
    }
}
