namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// The one lock under which sessions are admitted: counting against the quotas and creating (or claiming) happen under
/// it, for learners' starts and for warm pools alike, so that no two can both take the last place.
/// </summary>
internal sealed class SessionAdmission : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        using (LabOrchestrator.Sessions.SessionTracing.Begin("admission.wait", ""))
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            using var held = LabOrchestrator.Sessions.SessionTracing.Begin("admission.held", "");
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
