using LabOrchestrator.Hosting;
using LabOrchestrator.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Tests.Support;

/// <summary>The library wired as an embedding program would, on a real SQLite file, with a fake clock.</summary>
internal sealed class LibraryHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private LibraryHost(ServiceProvider provider) => this.provider = provider;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public static async Task<LibraryHost> StartAsync(string databasePath)
    {
        var services = new ServiceCollection();
        FakeTimeProvider? clock = null;
        services.AddSingleton<TimeProvider>(_ => clock!);
        services.AddLabOrchestrator(o => o.DatabasePath = databasePath);
        var host = new LibraryHost(services.BuildServiceProvider());
        clock = host.Clock;
        await host.Get<LabOrchestratorDatabase>().MigrateAsync(TestContext.Current.CancellationToken);
        return host;
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
