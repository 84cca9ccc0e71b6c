namespace LabOrchestrator.Server.Audit;

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string SessionStarted = "session.started";
    public const string SessionStopped = "session.stopped";
    public const string ConsoleOpened = "console.opened";
    public const string ConsoleWatched = "console.watched";
    public const string AccessTokenIssued = "access-token.issued";
    public const string LoggedIn = "user.logged-in";
    public const string LoginFailed = "user.login-failed";
}
