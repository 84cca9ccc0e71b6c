namespace LabOrchestrator.Sessions;

/// <summary>
/// This process, as the owner of the starts and stops it runs: written on the session with a heartbeat, so that
/// another process (labctl beside the server, or the server after a restart) can tell a live operation from a dead one.
/// </summary>
internal sealed class OperationOwner
{
    public string Id { get; } = $"{Host()}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..12]}";

    private static string Host() => Environment.MachineName.Length > 64 ? Environment.MachineName[..64] : Environment.MachineName;
}
