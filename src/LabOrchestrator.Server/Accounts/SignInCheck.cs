namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Whether a <see cref="SignIn"/> still holds: the user exists, is enabled and has the same security stamp, and the API
/// token (if any) is live. Reads come from short caches, so access tokens are checked without a database round trip on
/// the hot path; revoking on this replica invalidates the caches, so it takes effect here at once.
/// </summary>
internal sealed class SignInCheck(UserStatusCache users, ApiTokenStatusCache apiTokens) : ISignInCheck
{
    public async Task<bool> IsCurrentAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(signIn.UserId, cancellationToken);
        if (user is null || user.User.Disabled || !string.Equals(user.Stamp, signIn.Stamp, StringComparison.Ordinal))
        {
            return false;
        }

        return signIn.ApiTokenId is null || await apiTokens.IsLiveAsync(signIn.ApiTokenId, signIn.UserId, cancellationToken);
    }
}
