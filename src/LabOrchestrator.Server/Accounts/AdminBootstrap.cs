using System.Security.Cryptography;
using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Creates the first admin, <c>admin</c>, when no user can log in yet: with <c>Auth:AdminPassword</c> when set,
/// else with a random password printed once to standard output.
/// </summary>
internal static class AdminBootstrap
{
    public const string AdminId = "admin";

    public static Task EnsureAdminAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        EnsureAdminAsync(services, Console.Out, cancellationToken);

    /// <summary>
    /// Writes a random password to <paramref name="console"/>, never to a logger: it is the one secret shown on purpose, and only
    /// the operator starting the server should see it, not a log collector.
    /// </summary>
    public static async Task<bool> EnsureAdminAsync(IServiceProvider services, TextWriter console, CancellationToken cancellationToken)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<AccountsDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Users.AnyAsync(u => u.PasswordHash != null, cancellationToken))
            {
                return false;
            }
        }

        var configured = services.GetRequiredService<IOptions<AuthOptions>>().Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? RandomPassword() : configured;
        await services.GetRequiredService<IAccountService>().CreateUserAsync(AdminId, "Administrator", password, Roles.Admin, cancellationToken);
        if (string.IsNullOrEmpty(configured))
        {
            await console.WriteLineAsync(
                $"""

                ================================================================
                 Lab Orchestrator created the first admin account.
                   user:     {AdminId}
                   password: {password}
                 This password is shown only this once. Log in and change it
                 (POST /api/me/password), or set Auth__AdminPassword before the
                 first start next time.
                ================================================================

                """.AsMemory(), cancellationToken);
            await console.FlushAsync(cancellationToken);
        }

        return true;
    }

    private static string RandomPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
