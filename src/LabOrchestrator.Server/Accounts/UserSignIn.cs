namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// A user as sign-ins see them: the user and their current security stamp. Login cookies and access tokens carry the
/// stamp they were made with; when the user's stamp changes (logout, password change or reset, disable, demotion, a new
/// user under a deleted user's id) they stop working.
/// </summary>
public sealed record UserSignIn(AccountUser User, string Stamp);
