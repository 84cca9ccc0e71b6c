namespace LabOrchestrator.Server.Accounts;

/// <summary>Creates the first admin on an empty database. (In progress.)</summary>
internal static class AdminBootstrap
{
    public static Task EnsureAdminAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;
}
