namespace LabOrchestrator.Users;

/// <summary>The users the library knows: created on their first session, linked to their sessions.</summary>
public interface IUserDirectory
{
    Task<IReadOnlyList<UserRef>> ListAsync(CancellationToken cancellationToken = default);

    Task<UserRef?> GetAsync(string id, CancellationToken cancellationToken = default);
}
