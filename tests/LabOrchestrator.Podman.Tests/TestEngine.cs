using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman.Tests;

/// <summary>Engines as the application makes them: each finds (or starts) the shared Podman service itself.</summary>
internal static class TestEngine
{
    public static PodmanEngine Create() =>
        new(Options.Create(new PodmanEngineOptions { StartTimeout = TimeSpan.FromMinutes(2) }), NullLogger<PodmanEngine>.Instance, TimeProvider.System);

    public static string NewSessionId() => "t" + Guid.NewGuid().ToString("N")[..10];

    public static CancellationToken Timeout(int seconds = 120) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
