namespace LabOrchestrator.Server.Accounts;

/// <summary>The logged-in user and the anti-forgery token to send as <c>X-CSRF-Token</c> on POST, PUT, PATCH and DELETE.</summary>
public sealed record LoginResponse(AccountUser User, string CsrfToken, string CsrfHeader);
