namespace LabOrchestrator.Server.Accounts;

/// <summary>A fresh anti-forgery token for the logged-in browser, and the header to send it in.</summary>
public sealed record CsrfTokenResponse(string CsrfToken, string CsrfHeader);
