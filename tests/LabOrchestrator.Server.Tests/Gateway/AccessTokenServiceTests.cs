using CsCheck;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Accounts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Gateway;

public sealed class AccessTokenServiceTests
{
    private static readonly AccessTokenKey OldKey = new() { Id = "old", Secret = Convert.ToBase64String(new byte[32]) };
    private static readonly AccessTokenKey NewKey = new() { Id = "new", Secret = Convert.ToBase64String(Enumerable.Repeat((byte)7, 48).ToArray()) };
    private static readonly SignIn Alice = new("alice", "stamp-1");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Validate_IssuedToken_GivesBackItsGrant()
    {
        var tokens = Service(NewKey);
        var (token, expiresAt) = tokens.Issue("s1", Alice, ["linux"], [AccessKinds.Terminal], watch: true, TimeSpan.FromMinutes(15));

        var grant = tokens.Read(token);

        Assert.NotNull(grant);
        Assert.Equal(("s1", Alice, true, expiresAt), (grant.SessionId, grant.SignIn, grant.Watch, grant.ExpiresAt));
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
        var grant = tokens.Read(tokens.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token);

        Assert.True(grant!.AllowsNode("anything"));
    }

    [Fact]
    public void Validate_AtExpiry_IsRefused()
    {
        var tokens = Service(NewKey);
        var token = tokens.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromSeconds(1)).Token;

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.NotNull(tokens.Read(token));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(tokens.Read(token));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(-3)]
    public void Validate_WithAnyCharacterChanged_IsRefused(int position)
    {
        var tokens = Service(NewKey);
        var token = tokens.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;
        var index = position < 0 ? token.Length + position : position;
        var tampered = token[..index] + (token[index] == 'x' ? 'y' : 'x') + token[(index + 1)..];

        Assert.Null(tokens.Read(tampered));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lat_")]
    [InlineData("lat_.")]
    [InlineData("lat_e30.AAAA")]
    [InlineData("lot_abc.def")]
    public void Validate_Malformed_IsRefused(string? token) => Assert.Null(Service(NewKey).Read(token));

    [Fact]
    public void Validate_TokenOfAnotherServersKey_IsRefused()
    {
        var token = Service(OldKey).Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;

        Assert.Null(Service(NewKey).Read(token));
        Assert.Null(Service(new AccessTokenKey { Id = "old", Secret = NewKey.Secret }).Read(token));
    }

    [Fact]
    public void Rotation_NewKeyFirst_SignsWithIt_AndStillAcceptsTheOldKeysTokens()
    {
        var before = Service(OldKey).Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;
        var rotated = Service(NewKey, OldKey);
        var after = rotated.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;

        Assert.NotNull(rotated.Read(before));
        Assert.NotNull(Service(NewKey).Read(after));
    }

    [Fact]
    public void WithoutConfiguredKeys_TokensWorkOnlyOnTheSameInstance()
    {
        var one = Service();
        var token = one.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(1)).Token;

        Assert.NotNull(one.Read(token));
        Assert.Null(Service().Read(token));
    }

    [Theory]
    [MemberData(nameof(MalformedVariants))]
    public void Read_MalformedVariant_IsRefusedWithoutThrowing(string token) => Assert.Null(Service(NewKey).Read(token));

    [Fact]
    public void Read_RandomOrMutatedTokens_NeverThrow_AndNeverPass()
    {
        var tokens = Service(NewKey);
        var valid = tokens.Issue("s1", Alice, ["linux"], [AccessKinds.Terminal], false, TimeSpan.FromMinutes(5)).Token;

        Gen.OneOf(MalformedTokens.Random, MalformedTokens.Mutations(valid))
            .Where(t => t != valid)
            .Sample(t => Assert.True(tokens.Read(t) is null || SameSignedPayload(t, valid), t), iter: 20_000);
    }

    [Fact]
    public void Issue_IsCappedAtTheCredentialsExpiry()
    {
        var tokens = Service(NewKey);
        var credentialEnds = clock.GetUtcNow().AddMinutes(10);

        var (capped, cappedExpiry) = tokens.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromHours(1), credentialEnds);
        var (_, longerCredential) = tokens.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(5), clock.GetUtcNow().AddDays(1));

        Assert.Equal(credentialEnds.ToUnixTimeSeconds(), cappedExpiry.ToUnixTimeSeconds());
        Assert.Equal(clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), longerCredential.ToUnixTimeSeconds());
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(tokens.Read(capped));
    }

    [Fact]
    public async Task ValidateAsync_RefusesAWellSignedToken_WhoseSignInEnded()
    {
        var signIns = new FakeSignInCheck();
        var tokens = new AccessTokenService(Options.Create(new GatewayOptions { AccessTokenKeys = [NewKey] }), signIns, clock, NullLogger<AccessTokenService>.Instance);
        var token = tokens.Issue("s1", Alice, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(5)).Token;
        Assert.NotNull(await tokens.ValidateAsync(token, TestContext.Current.CancellationToken));

        signIns.Revoke(Alice);

        Assert.NotNull(tokens.Read(token));
        Assert.Null(await tokens.ValidateAsync(token, TestContext.Current.CancellationToken));
    }

    public static TheoryData<string> MalformedVariants => MalformedTokens.Variants;

    /// <summary>
    /// Base64url has spare bits in its last character: a change there may decode to the same bytes, which is the same token.
    /// </summary>
    private static bool SameSignedPayload(string token, string valid) =>
        token.Length == valid.Length && token[..^1] == valid[..^1];

    private AccessTokenService Service(params AccessTokenKey[] keys) =>
        new(Options.Create(new GatewayOptions { AccessTokenKeys = [.. keys] }), new FakeSignInCheck(), clock, NullLogger<AccessTokenService>.Instance);
}
