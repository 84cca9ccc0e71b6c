using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

/// <summary>
/// Writes labctl's changes into the server's audit log (the same database), so that stops, imports and removals made on
/// the server machine show up next to those made through the API. The user is the operating-system account, marked as
/// labctl's; labctl has no signed-in user of the server.
/// </summary>
internal static class CliAudit
{
    public const string Source = "labctl";

    public static async Task RecordAsync(IServiceProvider services, string action, string? sessionId = null, string? target = null, string? details = null)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<AccountsDbContext>>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        // The change is made: its record must not be lost to a cancelled command.
        await AuditRecords.AddAsync(contexts, time.GetUtcNow(), $"{Source}:{Environment.UserName}", action, sessionId, target, Source, details, CancellationToken.None);
    }
}
