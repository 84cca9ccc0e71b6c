using System.Diagnostics;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// A real kube-apiserver, etcd and controller-manager (no kubelet) from the lab-k8s scripts (shared/k8s, see its
/// README), started once for the test collection and stopped after it. Where the scripts say the control plane is
/// not built (exit 2) the tests are skipped with the reason, except in CI (CI=true), where that is a failure.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private string? state;

    /// <summary>The admin kubeconfig (group system:masters).</summary>
    public string Kubeconfig { get; private set; } = "";

    /// <summary>Why the tests cannot run here; null when the API server runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The lab-k8s scripts: LAB_K8S_SCRIPTS, else shared/k8s beside the checkout.</summary>
    public static string Scripts =>
        Environment.GetEnvironmentVariable("LAB_K8S_SCRIPTS") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "k8s"));

    public async ValueTask InitializeAsync()
    {
        var start = Path.Combine(Scripts, "start.sh");
        if (!File.Exists(start))
        {
            Unavailable = $"Kubernetes tests skipped: no lab-k8s scripts at {Scripts} (set LAB_K8S_SCRIPTS)";
            return;
        }

        state = Directory.CreateTempSubdirectory("lab-k8s-").FullName;
        var (code, output, error) = await RunAsync(start, state);
        if (code == 2)
        {
            Unavailable = $"Kubernetes tests skipped: lab-k8s not built (run {Path.Combine(Scripts, "build.sh")} as root): {error.Trim()}";
            return;
        }

        Assert.True(code == 0, $"lab-k8s start.sh failed ({code}):\n{output}\n{error}");
        Kubeconfig = output.Trim().Split('\n')[^1];
    }

    /// <summary>Skips the calling test when no API server runs here (never in CI).</summary>
    public void RequireApiServer()
    {
        if (Unavailable is null)
        {
            return;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"In CI the Kubernetes tests must run. {Unavailable}");
        Assert.Skip(Unavailable);
    }

    public async ValueTask DisposeAsync()
    {
        if (state is not null)
        {
            if (Unavailable is null)
            {
                await RunAsync(Path.Combine(Scripts, "stop.sh"), state);
            }

            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
