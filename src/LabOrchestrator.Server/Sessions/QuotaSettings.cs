using System.Text.Json;
using LabOrchestrator.Hosting;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// The quotas in force: the configuration's <see cref="QuotaOptions"/> until an admin changes them through the API, then
/// what the admin set, kept in <c>quotas.json</c> next to the database so that it survives a restart. Per-user limits
/// replace <see cref="QuotaOptions.PerUser"/> for one user.
/// </summary>
internal sealed class QuotaSettings
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock gate = new();
    private readonly string file;
    private QuotaState state;

    public QuotaSettings(IOptions<QuotaOptions> configured, IOptions<LabOrchestratorOptions> library)
    {
        Configured = configured.Value;
        file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(library.Value.DatabasePath))!, "quotas.json");
        state = Load(file) ?? new QuotaState(null, null, new Dictionary<string, int>(StringComparer.Ordinal));
    }

    /// <summary>What the configuration says ("Quotas" section); an admin's values take precedence.</summary>
    public QuotaOptions Configured { get; }

    public int PerUser => state.PerUser ?? Configured.PerUser;

    public int Total => state.Total ?? Configured.Total;

    public IReadOnlyDictionary<string, int> Users => state.Users;

    public int PerUserFor(string userId) => state.Users.TryGetValue(userId, out var limit) ? limit : PerUser;

    /// <summary>Sets the global limits; null leaves one as it is.</summary>
    public async Task SetGlobalAsync(int? perUser, int? total, CancellationToken cancellationToken) =>
        await UpdateAsync(s => s with { PerUser = perUser ?? s.PerUser, Total = total ?? s.Total }, cancellationToken);

    /// <summary>Sets one user's limit, or removes it (back to the global one) when <paramref name="perUser"/> is null.</summary>
    public async Task SetUserAsync(string userId, int? perUser, CancellationToken cancellationToken) =>
        await UpdateAsync(s =>
        {
            var users = new Dictionary<string, int>(s.Users, StringComparer.Ordinal);
            if (perUser is { } limit)
            {
                users[userId] = limit;
            }
            else
            {
                users.Remove(userId);
            }

            return s with { Users = users };
        }, cancellationToken);

    private async Task UpdateAsync(Func<QuotaState, QuotaState> change, CancellationToken cancellationToken)
    {
        QuotaState next;
        lock (gate)
        {
            next = change(state);
            state = next;
        }

        // Written to a temporary file and renamed, so a crash never leaves half a file.
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(next, FileJson), cancellationToken);
        File.Move(temporary, file, overwrite: true);
    }

    private static QuotaState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var loaded = JsonSerializer.Deserialize<QuotaState>(File.ReadAllText(path), FileJson);
        return loaded is null ? null : loaded with { Users = new Dictionary<string, int>(loaded.Users ?? [], StringComparer.Ordinal) };
    }

    private sealed record QuotaState(int? PerUser, int? Total, Dictionary<string, int> Users);
}
