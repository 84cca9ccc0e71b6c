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
    public const string LoggedOut = "user.logged-out";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string PasswordReset = "user.password-reset";
    public const string PasswordChanged = "user.password-changed";
    public const string ApiTokenCreated = "api-token.created";
    public const string ApiTokenRevoked = "api-token.revoked";
    public const string PoolSizeSet = "lab.pool-size-set";
    public const string LabUploaded = "lab.uploaded";
    public const string LabPublished = "lab.published";
    public const string LabUnpublished = "lab.unpublished";
    public const string LabDeleted = "lab.deleted";
    public const string QuotaChanged = "quota.changed";
}
