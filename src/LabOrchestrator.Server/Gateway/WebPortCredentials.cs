using System.Text;
using System.Text.RegularExpressions;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Finds and removes Lab Orchestrator's credentials in requests to web ports, whatever their case or encoding: the
/// <c>access_token</c> query parameter, the orchestrator's cookies, and <c>Authorization</c> values carrying an API
/// token (<c>lot_</c>) or access token (<c>lat_</c>). A node's application never receives any of them.
/// </summary>
internal static partial class WebPortCredentials
{
    public const string AccessTokenParameter = "access_token";

    /// <summary>Cookie names (compared without case, after percent-decoding) that belong to Lab Orchestrator.</summary>
    private static readonly string[] OwnCookiePrefixes = ["labo", "__host-labo", "__secure-labo", ".aspnetcore", "__host-.aspnetcore", "__secure-.aspnetcore"];

    /// <summary>Every value of the query's <c>access_token</c> parameter, in any case (<c>ACCESS_TOKEN</c>, <c>Access%5FToken</c>…).</summary>
    public static List<string> AccessTokens(QueryString query) =>
        Pairs(query).Where(p => IsAccessTokenKey(p.Key)).Select(p => p.Value).ToList();

    /// <summary>The query as it came (same order and encoding), without any <c>access_token</c> parameter.</summary>
    public static QueryString WithoutAccessTokens(QueryString query)
    {
        if (!query.HasValue)
        {
            return query;
        }

        var kept = query.Value![1..].Split('&').Where(part => part.Length > 0 && !IsAccessTokenKey(Decode(part.Split('=', 2)[0]))).ToList();
        return kept.Count == 0 ? QueryString.Empty : new QueryString("?" + string.Join('&', kept));
    }

    /// <summary>Whether a cookie is Lab Orchestrator's: by its name, or because its value is one of its tokens.</summary>
    public static bool IsOwnCookie(string name, string value)
    {
        var decodedName = Decode(name).Trim().ToLowerInvariant();
        return OwnCookiePrefixes.Any(p => decodedName.StartsWith(p, StringComparison.Ordinal)) || CarriesToken(Decode(value));
    }

    /// <summary>The request's <c>Cookie</c> headers as one header without Lab Orchestrator's cookies; empty when none is left.</summary>
    public static string ForeignCookies(IEnumerable<string?> cookieHeaders) =>
        string.Join("; ", Cookies(cookieHeaders).Where(c => !IsOwnCookie(c.Name, c.Value)).Select(c => c.Raw));

    /// <summary>The values of cookies named exactly <paramref name="name"/> (browsers send a name as it was set).</summary>
    public static IEnumerable<string> CookieValues(IEnumerable<string?> cookieHeaders, string name) =>
        Cookies(cookieHeaders).Where(c => c.Name == name).Select(c => c.Value);

    /// <summary>Whether a header value carries a Lab Orchestrator token (<c>lot_</c> or <c>lat_</c>, any case, any scheme).</summary>
    public static bool CarriesToken(string value) => TokenPattern().IsMatch(value);

    private static IEnumerable<(string Name, string Value, string Raw)> Cookies(IEnumerable<string?> cookieHeaders)
    {
        foreach (var header in cookieHeaders)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var raw = part.Trim();
                if (raw.Length == 0)
                {
                    continue;
                }

                var equals = raw.IndexOf('=', StringComparison.Ordinal);
                yield return equals < 0 ? ("", raw, raw) : (raw[..equals].Trim(), raw[(equals + 1)..].Trim().Trim('"'), raw);
            }
        }
    }

    private static IEnumerable<(string Key, string Value)> Pairs(QueryString query)
    {
        if (!query.HasValue)
        {
            yield break;
        }

        foreach (var part in query.Value![1..].Split('&'))
        {
            var pair = part.Split('=', 2);
            yield return (Decode(pair[0]), pair.Length > 1 ? Decode(pair[1]) : "");
        }
    }

    private static bool IsAccessTokenKey(string key) => string.Equals(key.Trim(), AccessTokenParameter, StringComparison.OrdinalIgnoreCase);

    /// <summary>Percent- and plus-decoding as form and query parsers do; malformed escapes stay as they are.</summary>
    private static string Decode(string text)
    {
        var plusDecoded = text.Replace('+', ' ');
        try
        {
            return Uri.UnescapeDataString(plusDecoded).Normalize(NormalizationForm.FormC);
        }
        catch (UriFormatException)
        {
            return plusDecoded;
        }
    }

    // A token anywhere in the value: "Bearer lot_…", "bearer LAT_…", "Token lot_…", "Basic" cannot hide one in base64 from
    // this check, but Lab Orchestrator never reads credentials out of Basic, so it never accepts such a value either.
    [GeneratedRegex(@"(?:^|[^A-Za-z0-9])l[ao]t_", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
