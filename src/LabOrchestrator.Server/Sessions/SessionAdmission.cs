using LabOrchestrator.Persistence;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// The one lock under which sessions are admitted: counting against the quotas and creating (or claiming) happen under
/// it, for learners' starts and for warm pools alike, so that no two can both take the last place. It is held in the
/// database (<see cref="DatabaseLock"/>: a PostgreSQL advisory lock, or a lock file next to the SQLite file), so server
/// replicas sharing one database take turns too; the semaphore only keeps this process's own starts from queueing there.
/// </summary>
internal sealed class SessionAdmission(DatabaseLock locks) : IDisposable
{
    /// <summary>The name of the <see cref="DatabaseLock"/> admissions take.</summary>
    public const string LockName = "session-admission";

    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        using (LabOrchestrator.Sessions.SessionTracing.Begin("admission.wait", ""))
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            await using var locked = await locks.AcquireAsync(LockName, cancellationToken);
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
