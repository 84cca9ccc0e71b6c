namespace LabOrchestrator.Server.Accounts;

/// <summary>Whether a <see cref="SignIn"/> still holds (see <see cref="SignInCheck"/>).</summary>
public interface ISignInCheck
{
    Task<bool> IsCurrentAsync(SignIn signIn, CancellationToken cancellationToken);
}
