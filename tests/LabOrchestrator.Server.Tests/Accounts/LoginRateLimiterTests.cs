using System.Net;
using LabOrchestrator.Server.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>The login limiter on a fake clock: per address and user id, and per address across user ids (spraying).</summary>
public sealed class LoginRateLimiterTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Spraying_ManyUserIdsFromOneAddress_IsBlockedAfterTheFailureLimit_UntilTheWindowEnds()
    {
        var limiter = Limiter(addressFailures: 3);
        var attacker = Client("203.0.113.7");

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limiter.TryAcquire(attacker, $"user{i}"));
            limiter.RecordFailure(attacker);
        }

        var wait = limiter.TryAcquire(attacker, "user99");
        clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var stillBlocked = limiter.TryAcquire(attacker, "user100");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMinutes(15), wait);
        Assert.Equal(TimeSpan.FromSeconds(1), stillBlocked);
        Assert.Null(limiter.TryAcquire(attacker, "user101"));
    }

    [Fact]
    public void Spraying_IsCountedPerAddress_AnotherAddressCanStillLogIn()
    {
        var limiter = Limiter(addressFailures: 1);
        var attacker = Client("203.0.113.7");
        Assert.Null(limiter.TryAcquire(attacker, "a"));
        limiter.RecordFailure(attacker);

        Assert.NotNull(limiter.TryAcquire(attacker, "b"));
        Assert.Null(limiter.TryAcquire(Client("203.0.113.8"), "b"));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7")]
    public void Spraying_FromOneIpv6Slash64OrAMappedAddress_CountsAsOneAddress(string first, string second)
    {
        var limiter = Limiter(addressFailures: 1);
        Assert.Null(limiter.TryAcquire(Client(first), "a"));
        limiter.RecordFailure(Client(first));

        Assert.NotNull(limiter.TryAcquire(Client(second), "b"));
    }

    [Fact]
    public void SuccessfulLogins_DoNotCountAgainstTheAddress_SoAClassBehindOneAddressCanLogIn()
    {
        var limiter = Limiter(addressFailures: 2);
        var school = Client("198.51.100.1");

        for (var i = 0; i < 30; i++)
        {
            Assert.Null(limiter.TryAcquire(school, $"learner{i}"));
        }
    }

    [Fact]
    public void OneUserFromOneAddress_IsLimitedPerWindow_WhateverTheCaseOfTheId()
    {
        var limiter = Limiter(addressFailures: 100, attempts: 2);
        var client = Client("203.0.113.7");

        Assert.Null(limiter.TryAcquire(client, "lena"));
        Assert.Null(limiter.TryAcquire(client, "LENA"));
        Assert.NotNull(limiter.TryAcquire(client, "Lena"));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(limiter.TryAcquire(client, "lena"));
    }

    private LoginRateLimiter Limiter(int addressFailures, int attempts = 5) =>
        new(Options.Create(new AuthOptions { AddressLoginFailures = addressFailures, LoginAttempts = attempts }), clock);

    private static DefaultHttpContext Client(string address) => new() { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };
}
