namespace LabOrchestrator.Server.Gateway;

/// <summary>A named HMAC-SHA256 key for access tokens; <see cref="Secret"/> is base64 of at least 32 random bytes.</summary>
public sealed record AccessTokenKey
{
    public string Id { get; set; } = "";
    public string Secret { get; set; } = "";
}
