namespace LabOrchestrator.Server.Gateway;

/// <summary>Settings of the gateway, bound from the <c>Gateway</c> configuration section.</summary>
public sealed record GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Keys that sign and verify access tokens: the first signs, all verify. Give every replica the same list;
    /// to rotate, put the new key first and drop the old one after the longest token lifetime (one hour).
    /// </summary>
    public List<AccessTokenKey> AccessTokenKeys { get; set; } = [];

    /// <summary>How often the gateway checks that sessions with open connections still run.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
