namespace LabOrchestrator.Doctor;

/// <summary>
/// One thing a host needs, as found: <paramref name="Name"/> names it ("catatonit"), <paramref name="Detail"/> says what
/// was found, and <paramref name="Fix"/> (when not Ok) says what to do about it, as a command where one exists.
/// </summary>
public sealed record HostCheck(string Name, HostCheckStatus Status, string Detail, string? Fix = null)
{
    public static HostCheck Ok(string name, string detail) => new(name, HostCheckStatus.Ok, detail);

    public static HostCheck Warning(string name, string detail, string fix) => new(name, HostCheckStatus.Warning, detail, fix);

    public static HostCheck Failed(string name, string detail, string fix) => new(name, HostCheckStatus.Failed, detail, fix);
}
