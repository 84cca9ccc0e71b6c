using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Issues and checks access tokens: <c>lat_</c> + base64url(JSON payload) + <c>.</c> + base64url(HMAC-SHA256 of the encoded payload).
/// Checking needs only the configured keys and the clock, no database, so any replica accepts any replica's tokens.
/// </summary>
internal sealed partial class AccessTokenService
{
    public const string Prefix = "lat_";
    private const int MaxTokenLength = 4096;
    private const int FormatVersion = 1;

    private readonly TimeProvider time;
    private readonly (string Id, byte[] Secret)[] keys;

    public AccessTokenService(IOptions<GatewayOptions> options, TimeProvider time, ILogger<AccessTokenService> logger)
    {
        this.time = time;
        keys = options.Value.AccessTokenKeys.Select(k => (k.Id, Convert.FromBase64String(k.Secret))).ToArray();
        if (keys.Length == 0)
        {
            keys = [("ephemeral", RandomNumberGenerator.GetBytes(32))];
            GatewayLog.EphemeralAccessTokenKey(logger);
        }
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(string sessionId, string userId, IReadOnlyList<string>? nodes, IReadOnlyList<string> kinds, bool watch, TimeSpan lifetime)
    {
        var expiresAt = time.GetUtcNow().Add(lifetime);
        var (keyId, secret) = keys[0];
        // The nonce makes every token unique, so that one can be used once (web ports) even if two are issued in the same second.
        var payload = new Payload(FormatVersion, keyId, sessionId, userId, nodes?.ToArray(), [.. kinds], watch, expiresAt.ToUnixTimeSeconds(), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9)));
        var encoded = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson.Default.Payload));
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(encoded)));
        return ($"{Prefix}{encoded}.{signature}", DateTimeOffset.FromUnixTimeSeconds(payload.Expires));
    }

    /// <summary>The grant of a well-formed, correctly signed, unexpired token; null for anything else.</summary>
    public AccessGrant? Validate(string? token)
    {
        if (token is null || token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var body = token.AsSpan(Prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var encoded = body[..dot];
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(encoded), PayloadJson.Default.Payload);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }

        if (payload is not { Version: FormatVersion } || payload.Session is null || payload.User is null || payload.Kinds is null)
        {
            return null;
        }

        var key = Array.Find(keys, k => k.Id == payload.Key);
        if (key.Secret is null || !SignatureMatches(key.Secret, encoded, body[(dot + 1)..]))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        return time.GetUtcNow() >= expiresAt ? null : new AccessGrant(payload.Session, payload.User, payload.Nodes, payload.Kinds, payload.Watch, expiresAt);
    }

    private static bool SignatureMatches(byte[] secret, ReadOnlySpan<char> encoded, ReadOnlySpan<char> signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> actual = stackalloc byte[HMACSHA256.HashSizeInBytes + 3];
        Span<byte> ascii = encoded.Length <= 1024 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        Encoding.ASCII.GetBytes(encoded, ascii);
        HMACSHA256.HashData(secret, ascii, expected);
        return Base64Url.TryDecodeFromChars(signature, actual, out var written)
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, actual[..written]);
    }

    internal sealed record Payload(
        [property: JsonPropertyName("v")] int Version,
        [property: JsonPropertyName("k")] string Key,
        [property: JsonPropertyName("s")] string Session,
        [property: JsonPropertyName("u")] string User,
        [property: JsonPropertyName("n")] string[]? Nodes,
        [property: JsonPropertyName("a")] string[] Kinds,
        [property: JsonPropertyName("w")] bool Watch,
        [property: JsonPropertyName("e")] long Expires,
        [property: JsonPropertyName("j")] string? Nonce = null);

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Payload))]
    internal sealed partial class PayloadJson : JsonSerializerContext;
}
