using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LabOrchestrator.Server.Accounts;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Issues and checks access tokens: <c>lat_</c> + base64url(JSON payload) + <c>.</c> + base64url(HMAC-SHA256 of the encoded payload).
/// The signature and expiry need only the configured keys and the clock, so any replica accepts any replica's tokens; the
/// credential that made the token (user, security stamp, API token) is checked against short caches, so a logout, new
/// password, disabled or deleted user or revoked API token ends the token without a database read per request.
/// </summary>
internal sealed partial class AccessTokenService
{
    public const string Prefix = "lat_";
    private const int MaxTokenLength = 4096;
    private const int FormatVersion = 2;

    // DateTimeOffset's range in Unix seconds; a signed payload never leaves it, but the check costs nothing.
    private const long MinUnixSeconds = -62135596800;
    private const long MaxUnixSeconds = 253402300799;

    private readonly TimeProvider time;
    private readonly ISignInCheck signIns;
    private readonly (string Id, byte[] Secret)[] keys;

    public AccessTokenService(IOptions<GatewayOptions> options, ISignInCheck signIns, TimeProvider time, ILogger<AccessTokenService> logger)
    {
        this.time = time;
        this.signIns = signIns;
        keys = options.Value.AccessTokenKeys.Select(k => (k.Id, Convert.FromBase64String(k.Secret))).ToArray();
        if (keys.Length == 0)
        {
            keys = [("ephemeral", RandomNumberGenerator.GetBytes(32))];
            GatewayLog.EphemeralAccessTokenKey(logger);
        }
    }

    /// <summary>
    /// A token for <paramref name="signIn"/>'s user; it expires after <paramref name="lifetime"/>, or at
    /// <paramref name="notAfter"/> (when the credential that asked for it expires) if that comes first.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(
        string sessionId, SignIn signIn, IReadOnlyList<string>? nodes, IReadOnlyList<string> kinds, bool watch, TimeSpan lifetime, DateTimeOffset? notAfter = null)
    {
        var expiresAt = time.GetUtcNow().Add(lifetime);
        if (notAfter is { } cap && cap < expiresAt)
        {
            expiresAt = cap;
        }

        var (keyId, secret) = keys[0];
        // The nonce makes every token unique, so that one can be used once (web ports) even if two are issued in the same second.
        var payload = new Payload(FormatVersion, keyId, sessionId, signIn.UserId, signIn.Stamp, signIn.ApiTokenId, nodes?.ToArray(), [.. kinds], watch, expiresAt.ToUnixTimeSeconds(), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9)));
        var encoded = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson.Default.Payload));
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(encoded)));
        return ($"{Prefix}{encoded}.{signature}", DateTimeOffset.FromUnixTimeSeconds(payload.Expires));
    }

    /// <summary>The grant of a well-formed, correctly signed, unexpired token whose credential still holds; null for anything else.</summary>
    public async Task<AccessGrant?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        var grant = Read(token);
        return grant is not null && await signIns.IsCurrentAsync(grant.SignIn, cancellationToken) ? grant : null;
    }

    /// <summary>
    /// The grant of a well-formed, correctly signed, unexpired token, without asking whether its credential still holds
    /// (<see cref="ValidateAsync"/> does). Never throws: anything malformed is null.
    /// </summary>
    internal AccessGrant? Read(string? token)
    {
        if (token is null || token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var body = token.AsSpan(Prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0 || dot == body.Length - 1 || body[(dot + 1)..].Contains('.'))
        {
            return null;
        }

        // Only the base64url alphabet without padding: no '=', no '+' or '/', no spaces or non-ASCII characters.
        var encoded = body[..dot];
        var signature = body[(dot + 1)..];
        if (!IsBase64UrlText(encoded) || !IsBase64UrlText(signature) || !Base64Url.IsValid(encoded) || !Base64Url.IsValid(signature))
        {
            return null;
        }

        // The signature is checked before the payload is parsed: unsigned input never reaches the JSON reader.
        Payload? payload;
        try
        {
            string? keyId = null;
            foreach (var (id, secret) in keys)
            {
                if (SignatureMatches(secret, encoded, signature))
                {
                    keyId = id;
                    break;
                }
            }

            if (keyId is null)
            {
                return null;
            }

            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(encoded), PayloadJson.Default.Payload);
            if (payload?.Key != keyId)
            {
                return null;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }

        if (payload is not { Version: FormatVersion } || payload.Session is null || payload.User is null || payload.Stamp is null || payload.Kinds is null
            || payload.Expires is < MinUnixSeconds or > MaxUnixSeconds)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        return time.GetUtcNow() >= expiresAt
            ? null
            : new AccessGrant(payload.Session, new SignIn(payload.User, payload.Stamp, payload.ApiToken), payload.Nodes, payload.Kinds, payload.Watch, expiresAt);
    }

    private static bool IsBase64UrlText(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SignatureMatches(byte[] secret, ReadOnlySpan<char> encoded, ReadOnlySpan<char> signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Base64Url.GetMaxDecodedLength(signature.Length) > HMACSHA256.HashSizeInBytes + 2)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[HMACSHA256.HashSizeInBytes + 2];
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
        [property: JsonPropertyName("st")] string Stamp,
        [property: JsonPropertyName("t")] string? ApiToken,
        [property: JsonPropertyName("n")] string[]? Nodes,
        [property: JsonPropertyName("a")] string[] Kinds,
        [property: JsonPropertyName("w")] bool Watch,
        [property: JsonPropertyName("e")] long Expires,
        [property: JsonPropertyName("j")] string? Nonce = null);

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Payload))]
    internal sealed partial class PayloadJson : JsonSerializerContext;
}
