using LabOrchestrator.Server.Gateway;
using Microsoft.AspNetCore.Http;

namespace LabOrchestrator.Server.Tests.Gateway;

public sealed class WebPortCredentialsTests
{
    [Theory]
    [InlineData("?access_token=t", "")]
    [InlineData("?a=1&ACCESS_TOKEN=t&b=%20x", "?a=1&b=%20x")]
    [InlineData("?Access_Token=t&access_token=u", "")]
    [InlineData("?access%5Ftoken=t&x", "?x")]
    [InlineData("?access+token=t&access_tokens=kept", "?access+token=t&access_tokens=kept")]
    [InlineData("?%20access_token%20=t", "")]
    [InlineData("?access_token", "")]
    public void WithoutAccessTokens_RemovesTheParameterInAnyCaseOrEncoding_AndKeepsTheRestAsItCame(string query, string expected)
    {
        Assert.Equal(expected, WebPortCredentials.WithoutAccessTokens(new QueryString(query)).Value ?? "");
        Assert.Empty(WebPortCredentials.AccessTokens(WebPortCredentials.WithoutAccessTokens(new QueryString(query))));
    }

    [Theory]
    [InlineData("labo.auth", "x", true)]
    [InlineData("LABO.CSRF", "x", true)]
    [InlineData("labo%2Eauth", "x", true)]
    [InlineData("__Host-labo-port", "x", true)]
    [InlineData(".AspNetCore.Antiforgery.abc", "x", true)]
    [InlineData("session", "lat_abc", true)]
    [InlineData("session", "%6Cot_abc", true)]
    [InlineData("session", "abc", false)]
    [InlineData("laboratory-app", "x", true)]
    [InlineData("flat_file", "chocolate_x", false)]
    public void IsOwnCookie_ByNameOrTokenValue(string name, string value, bool expected)
    {
        Assert.Equal(expected, WebPortCredentials.IsOwnCookie(name, value));
    }

    [Theory]
    [InlineData("Bearer lot_x", true)]
    [InlineData("bEaReR LaT_x", true)]
    [InlineData("lat_x", true)]
    [InlineData("Token\tlot_x", true)]
    [InlineData("Bearer eyJhbGciOi.flat_x", false)]
    [InlineData("Basic dXNlcjpwYXNz", false)]
    public void CarriesToken_InAnyCaseAndScheme(string value, bool expected)
    {
        Assert.Equal(expected, WebPortCredentials.CarriesToken(value));
    }
}
