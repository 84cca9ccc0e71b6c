using System.Security.Cryptography;

namespace LabOrchestrator.Sessions;

/// <summary>Session ids: short, unguessable, and valid inside DNS labels and Podman names.</summary>
internal static class SessionIds
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private const string Alphanumerics = Letters + "0123456789";

    public static string New() =>
        RandomNumberGenerator.GetString(Letters, 1) + RandomNumberGenerator.GetString(Alphanumerics, 11);
}
