using System.Security.Cryptography;

namespace LabOrchestrator.Sessions;

/// <summary>Random passwords for credentials marked `generate`; without look-alike characters, since learners type them.</summary>
internal static class PasswordGenerator
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
