namespace LabOrchestrator.Server.Accounts;

/// <summary>Settings of logins and accounts, section <c>Auth</c> (environment: <c>Auth__AdminPassword</c>, …).</summary>
public sealed record AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Password of the <c>admin</c> user created on first start; when empty a random one is printed once to the console.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Login attempts allowed per client address and user id within <see cref="LoginWindow"/>.</summary>
    public int LoginAttempts { get; set; } = 5;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed logins allowed per client address (IPv6: per /64) across all user ids within <see cref="AddressLoginWindow"/>,
    /// against password spraying. Successful logins do not count, so a class behind one NAT address can log in together;
    /// raise it if many learners share an address and mistype.
    /// </summary>
    public int AddressLoginFailures { get; set; } = 50;

    public TimeSpan AddressLoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long this replica may rely on a user's last known role, disabled flag and security stamp (and an API token's
    /// revocation) before reading them again; changes made through this replica count at once, other replicas' within this.
    /// </summary>
    public TimeSpan UserCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
