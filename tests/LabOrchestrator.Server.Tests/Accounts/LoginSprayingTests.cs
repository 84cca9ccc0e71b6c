using System.Net;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>Finding 9: login spraying across many user ids from one address, against the real server.</summary>
public sealed class LoginSprayingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SprayingOnePasswordOverManyUserIds_IsRefusedWith429_EvenForAnIdNotTriedBefore()
    {
        await using var server = await AccountsServer.StartAsync(Ct, new Dictionary<string, string?> { ["Auth:AddressLoginFailures"] = "4" });
        await server.UserAsync("lena", Roles.Learner, Ct);
        using var attacker = server.Anonymous();

        var statuses = new List<HttpStatusCode>();
        foreach (var id in new[] { "anna", "ben", "carl", "dora", "emil", "lena" })
        {
            using var response = await AccountsServer.PostLoginAsync(attacker, id, "Summer2026!", Ct);
            statuses.Add(response.StatusCode);
        }

        using var right = await AccountsServer.PostLoginAsync(attacker, "lena", AccountsServer.UserPassword, Ct);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(4));
        Assert.All(statuses.Skip(4), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));
    }

    [Fact]
    public async Task ManySuccessfulLoginsFromOneAddress_AreNotLimited()
    {
        await using var server = await AccountsServer.StartAsync(Ct, new Dictionary<string, string?> { ["Auth:AddressLoginFailures"] = "2" });
        for (var i = 0; i < 6; i++)
        {
            await server.UserAsync($"learner{i}", Roles.Learner, Ct);
        }

        for (var i = 0; i < 6; i++)
        {
            using var response = await AccountsServer.PostLoginAsync(server.Anonymous(), $"learner{i}", AccountsServer.UserPassword, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
