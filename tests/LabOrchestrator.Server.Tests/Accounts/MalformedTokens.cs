using CsCheck;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>
/// Malformed credentials for the tests that try them on every door (bearer header, login cookie, access_token query,
/// web-port cookie): fixed variants of each attack class, and CsCheck generators of random and mutated tokens.
/// </summary>
internal static class MalformedTokens
{
    /// <summary>Hand-picked variants: bad base64 padding, truncation, extra dots, empty parts, non-ASCII, huge, wrong prefix.</summary>
    public static TheoryData<string> Variants { get; } =
    [
        "",
        " ",
        "lat_",
        "lat_.",
        "lat_..",
        "lat_e30",
        "lat_e30.",
        "lat_.AAAA",
        "lat_e30.AAAA",
        "lat_e30=.AAAA",
        "lat_e30.AAAA=",
        "lat_e30.AAAA==",
        "lat_e30.AAA=",
        "lat_e30.A",
        "lat_e30.AA=A",
        "lat_e30.AAAA.AAAA",
        "lat_e30..AAAA",
        "lat_.e30.AAAA",
        "lat_e3+0.AA/A",
        "lat_e30.AA%3DA",
        "lat_eyJ2IjoyfQ.ÄÖÜ",
        "lat_é.ü",
        "lat_\u200b.\u200b",
        "lat_" + new string('A', 5000) + ".AAAA",
        "lat_e30." + new string('A', 5000),
        "lat_" + new string('.', 100),
        "LAT_e30.AAAA",
        "lot_",
        "lot_x",
        "lot_" + new string('x', 5000),
        "lot_ä",
        "lot_e30.AAAA",
        "Bearer",
        "null",
        "chunks-2147483647",
        "chunks-99999999999",
        "chunks--1",
        "CfDJ8" + new string('A', 300),
        "%00%01",
        "\"quoted\"",
    ];

    /// <summary>Random strings over an alphabet that hits every branch of the parsers, with the prefixes they look for.</summary>
    public static Gen<string> Random { get; } = Gen.OneOf(
        Gen.String,
        Gen.Select(
            Gen.OneOf("lat_", "lot_", "", "chunks-", "LAT_"),
            Text(Base64Url + "=+/.%é\u00a0\u200b~ ", 80),
            Gen.OneOf("", ".", "..", "=", "=="),
            Text(Base64Url + "=+/.é", 60),
            (prefix, a, sep, b) => prefix + a + sep + b));

    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static Gen<string> Text(string alphabet, int maxLength) => Gen.Char[alphabet].Array[0, maxLength].Select(chars => new string(chars));

    /// <summary>A valid token with one random mutation: truncated, a character changed, inserted or padded.</summary>
    public static Gen<string> Mutations(string valid) => Gen.OneOf(
        Gen.Int[0, valid.Length - 1].Select(i => valid[..i]),
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Char["=.+/%éA_-"], (i, c) => valid[..i] + c + valid[(i + 1)..]),
        Gen.Select(Gen.Int[0, valid.Length], Gen.Char["=.+/%éA_- "], (i, c) => valid[..i] + c + valid[i..]),
        Gen.OneOf(valid + "=", valid + "==", valid + ".", valid + ".AAAA", "." + valid, valid.Replace(".", "..", StringComparison.Ordinal)));

    /// <summary>What can go into an HTTP header at all: control characters (CR, LF) are refused by the client itself.</summary>
    public static string ForHeader(string value) => new(value.Select(c => char.IsControl(c) ? 'x' : c).ToArray());
}
