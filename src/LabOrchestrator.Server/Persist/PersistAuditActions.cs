namespace LabOrchestrator.Server.Persist;

/// <summary>Audit actions of reset, save and stored data.</summary>
internal static class PersistAuditActions
{
    public const string SessionReset = "session.reset";
    public const string SessionSaved = "session.saved";
    public const string SavedSessionDeleted = "saved-session.deleted";
    public const string SavedSessionContinued = "saved-session.continued";
    public const string StorageDeleted = "storage.deleted";
}
