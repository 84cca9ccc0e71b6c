using System.Text.RegularExpressions;

namespace LabOrchestrator.Server.Accounts;

/// <summary>What user ids, passwords and roles must look like, with messages that say how to fix them.</summary>
internal static partial class AccountRules
{
    public static void EnsureUserId(string id)
    {
        if (string.IsNullOrEmpty(id) || !UserId().IsMatch(id))
        {
            throw new AccountException("A user id is 1 to 64 characters: letters, digits, '.', '_', '-' or '@', starting with a letter or digit.", "id");
        }
    }

    public static void EnsurePassword(string password, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < AccountService.MinimumPasswordLength || password.Length > 256)
        {
            throw new AccountException($"A password needs {AccountService.MinimumPasswordLength} to 256 characters.", field);
        }
    }

    /// <summary>A display name trimmed, or null when empty; at most 200 characters.</summary>
    public static string? NormalizeDisplayName(string? displayName)
    {
        var trimmed = displayName?.Trim();
        if (trimmed?.Length > 200)
        {
            throw new AccountException("A display name has at most 200 characters.", "displayName");
        }

        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    public static void EnsureRole(string role)
    {
        if (!Roles.IsKnown(role))
        {
            throw new AccountException($"'{role}' is not a role; use one of: {string.Join(", ", Roles.All)}.", "role");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex UserId();
}
