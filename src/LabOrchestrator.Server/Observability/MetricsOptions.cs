namespace LabOrchestrator.Server.Observability;

/// <summary>
/// Who may read <c>/metrics</c>, bound from the "Metrics" section. The page names labs and shows load, so it is not for
/// learners: by default only clients on the server's own machine (loopback, not forwarded by a proxy) read it; a
/// Prometheus elsewhere sends <see cref="BearerToken"/>.
/// </summary>
public sealed record MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Serve <c>/metrics</c> at all; when false the path does not exist.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Let loopback clients read without a token. A request that a reverse proxy forwarded (it carries
    /// <c>Forwarded</c> or <c>X-Forwarded-For</c>) never counts as loopback.
    /// </summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>A secret of at least 32 characters; <c>Authorization: Bearer …</c> with it reads from anywhere. Empty: no token.</summary>
    public string BearerToken { get; set; } = "";

    /// <summary>How old the session counts may be before a scrape reads them again from the database.</summary>
    public TimeSpan SessionCountsMaxAge { get; set; } = TimeSpan.FromSeconds(10);
}
