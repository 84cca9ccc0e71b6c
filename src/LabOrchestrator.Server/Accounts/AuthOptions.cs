namespace LabOrchestrator.Server.Accounts;

/// <summary>Settings of logins and accounts, section <c>Auth</c> (environment: <c>Auth__AdminPassword</c>, …).</summary>
public sealed record AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Password of the <c>admin</c> user created on first start; when empty a random one is printed once to the console.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Login attempts allowed per remote address and user id within <see cref="LoginWindow"/>.</summary>
    public int LoginAttempts { get; set; } = 5;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a login cookie may rely on a user's last known role and disabled flag before reading them again.</summary>
    public TimeSpan UserCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
