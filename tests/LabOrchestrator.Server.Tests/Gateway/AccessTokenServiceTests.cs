using LabOrchestrator.Server.Gateway;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Gateway;

public sealed class AccessTokenServiceTests
{
    private static readonly AccessTokenKey OldKey = new() { Id = "old", Secret = Convert.ToBase64String(new byte[32]) };
    private static readonly AccessTokenKey NewKey = new() { Id = "new", Secret = Convert.ToBase64String(Enumerable.Repeat((byte)7, 48).ToArray()) };
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Validate_IssuedToken_GivesBackItsGrant()
    {
        var tokens = Service(NewKey);
        var (token, expiresAt) = tokens.Issue("s1", "alice", ["linux"], [AccessKinds.Terminal], watch: true, TimeSpan.FromMinutes(15));

        var grant = tokens.Validate(token);

        Assert.NotNull(grant);
        Assert.Equal(("s1", "alice", true, expiresAt), (grant.SessionId, grant.UserId, grant.Watch, grant.ExpiresAt));
        Assert.True(grant.AllowsNode("linux"));
        Assert.False(grant.AllowsNode("router"));
        Assert.True(grant.AllowsKind(AccessKinds.Terminal));
        Assert.False(grant.AllowsKind("desktop"));
        Assert.False(grant.AllowsSession("s2"));
    }

    [Fact]
    public void Validate_WithoutNodes_AllowsEveryNode()
    {
        var tokens = Service(NewKey);
        var grant = tokens.Validate(tokens.Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token);

        Assert.True(grant!.AllowsNode("anything"));
    }

    [Fact]
    public void Validate_AtExpiry_IsRefused()
    {
        var tokens = Service(NewKey);
        var token = tokens.Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromSeconds(1)).Token;

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.NotNull(tokens.Validate(token));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(tokens.Validate(token));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(-3)]
    public void Validate_WithAnyCharacterChanged_IsRefused(int position)
    {
        var tokens = Service(NewKey);
        var token = tokens.Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;
        var index = position < 0 ? token.Length + position : position;
        var tampered = token[..index] + (token[index] == 'x' ? 'y' : 'x') + token[(index + 1)..];

        Assert.Null(tokens.Validate(tampered));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lat_")]
    [InlineData("lat_.")]
    [InlineData("lat_e30.AAAA")]
    [InlineData("lot_abc.def")]
    public void Validate_Malformed_IsRefused(string? token) => Assert.Null(Service(NewKey).Validate(token));

    [Fact]
    public void Validate_TokenOfAnotherServersKey_IsRefused()
    {
        var token = Service(OldKey).Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;

        Assert.Null(Service(NewKey).Validate(token));
        Assert.Null(Service(new AccessTokenKey { Id = "old", Secret = NewKey.Secret }).Validate(token));
    }

    [Fact]
    public void Rotation_NewKeyFirst_SignsWithIt_AndStillAcceptsTheOldKeysTokens()
    {
        var before = Service(OldKey).Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;
        var rotated = Service(NewKey, OldKey);
        var after = rotated.Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;

        Assert.NotNull(rotated.Validate(before));
        Assert.NotNull(Service(NewKey).Validate(after));
    }

    [Fact]
    public void WithoutConfiguredKeys_TokensWorkOnlyOnTheSameInstance()
    {
        var one = Service();
        var token = one.Issue("s1", "alice", null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;

        Assert.NotNull(one.Validate(token));
        Assert.Null(Service().Validate(token));
    }

    private AccessTokenService Service(params AccessTokenKey[] keys) =>
        new(Options.Create(new GatewayOptions { AccessTokenKeys = [.. keys] }), clock, NullLogger<AccessTokenService>.Instance);
}
