using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Server.Accounts.Persistence;

internal static class AccountsStoreServiceCollectionExtensions
{
    /// <summary>
    /// The accounts context on the library's database, and its schema among those LabOrchestratorDatabase.MigrateAsync
    /// migrates. Called by AddAccounts and AddAudit (labctl can record audit entries without the rest of the accounts).
    /// </summary>
    public static IServiceCollection AddAccountsStore(this IServiceCollection services)
    {
        services.TryAddSingleton<IDbContextFactory<AccountsDbContext>, AccountsDbContextFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSchema, AccountsSchema>());
        return services;
    }
}
