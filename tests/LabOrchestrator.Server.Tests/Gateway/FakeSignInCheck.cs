using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>A sign-in check for unit tests of access tokens without a server: every credential holds unless revoked here.</summary>
internal sealed class FakeSignInCheck : ISignInCheck
{
    private readonly HashSet<SignIn> revoked = [];

    public void Revoke(SignIn signIn) => revoked.Add(signIn);

    public Task<bool> IsCurrentAsync(SignIn signIn, CancellationToken cancellationToken) => Task.FromResult(!revoked.Contains(signIn));
}
