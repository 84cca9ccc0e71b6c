using System.Security.Cryptography;
using System.Text;

namespace LabOrchestrator.Server.Audit;

/// <summary>
/// What the audit log keeps as the user of a failed login. What was typed as the user id may be a password typed into the
/// wrong field, so it is never stored as typed: a known user's id is stored as that user's id, anything else as
/// <c>unknown:</c> and a short keyed hash, so that repeated attempts with the same text can be told apart and grouped, but
/// the text cannot be read back, nor guessed offline (the key is random per server process).
/// </summary>
internal static class AuditUserIds
{
    public const string UnknownPrefix = "unknown:";

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string ForFailedLogin(string typed, string? knownUserId) =>
        knownUserId ?? UnknownPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(typed.ToLowerInvariant())))[..16];
}
