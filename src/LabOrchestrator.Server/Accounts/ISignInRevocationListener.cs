namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Told when sign-ins end on this replica, so that what they opened (gateway connections) closes at once. Other replicas
/// notice through <see cref="SignInCheck"/> within <see cref="AuthOptions.UserCheckInterval"/>.
/// </summary>
public interface ISignInRevocationListener
{
    /// <summary>Every sign-in of <paramref name="userId"/> ended (<paramref name="apiTokenId"/> null), or only that API token.</summary>
    void Revoked(string userId, string? apiTokenId);
}
