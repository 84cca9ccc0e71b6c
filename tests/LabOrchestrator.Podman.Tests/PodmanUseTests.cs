using LabOrchestrator.Doctor;
using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Podman.Tests;

/// <summary>
/// A server whose default engine is another one, on a host without Podman (a pod in a cluster), neither lists Podman
/// nor fails its checks; with Podman installed it keeps Podman for the sessions started on it.
/// </summary>
public sealed class PodmanUseTests
{
    private static ServiceProvider Services(string? defaultEngine, string podmanPath)
    {
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o => o.DatabasePath = Path.Combine(Path.GetTempPath(), $"podman-use-{Guid.NewGuid():N}.db"))
            .AddPodmanEngine(o => o.PodmanPath = podmanPath)
            .AddEngine("other", _ => new FakeLabEngine { Name = "other" });
        services.Configure<EngineOptions>(o => o.Default = defaultEngine);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task OtherDefaultAndNoPodman_PodmanIsNeitherListedNorChecked()
    {
        await using var services = Services("other", "/nonexistent/podman");

        var engines = services.GetRequiredService<ILabEngines>();
        var podmanChecks = await services.GetServices<IHostCheckSource>().Single(s => s.Name == "podman").CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["other"], engines.All.Select(e => e.Name));
        var check = Assert.Single(podmanChecks);
        Assert.Equal(HostCheckStatus.Ok, check.Status);
        Assert.Contains("not used: Engine:Default is 'other'", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherDefaultWithPodmanInstalled_KeepsPodmanForItsSessions()
    {
        await using var services = Services("other", "podman");

        Assert.Equal(["podman", "other"], services.GetRequiredService<ILabEngines>().All.Select(e => e.Name));
        Assert.Equal("other", services.GetRequiredService<ILabEngines>().Default.Name);
    }

    [Fact]
    public async Task PodmanAsDefault_IsListedEvenWhenItsExecutableIsMissing_SoItsChecksSayWhatToInstall()
    {
        await using var services = Services(null, "/nonexistent/podman");

        Assert.Equal("podman", services.GetRequiredService<ILabEngines>().Default.Name);
    }
}
