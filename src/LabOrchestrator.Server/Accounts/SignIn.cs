namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// The credential a request or a gateway connection rests on: a user at one security stamp, and the personal API token
/// when it came through one. It is current while the user is enabled with that stamp and the API token is live.
/// </summary>
public sealed record SignIn(string UserId, string Stamp, string? ApiTokenId = null);
