using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Tests.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Audit;

/// <summary>Finding 9: failed-login ids were stored verbatim, so a password typed into the user field landed in the log.</summary>
public sealed class FailedLoginAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("correct-horse-battery")]
    [InlineData("Pa55w0rd!with spaces and ünïcödé")]
    [InlineData("<script>alert(1)</script>\r\nforged line")]
    public async Task TextTypedIntoTheUserField_ThatIsNoUser_IsNeverStored_OnlyABoundedKeyedHash(string typed)
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();

        await AccountsServer.PostLoginAsync(browser, typed, "anything-at-all", Ct);
        await AccountsServer.PostLoginAsync(browser, typed, "anything-else", Ct);
        await AccountsServer.PostLoginAsync(browser, typed + "x", "anything-else", Ct);

        var failed = await server.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { Action = AuditActions.LoginFailed }, Ct);
        Assert.Equal(3, failed.Count);
        Assert.All(failed, e =>
        {
            Assert.StartsWith(AuditUserIds.UnknownPrefix, e.UserId, StringComparison.Ordinal);
            Assert.Equal(AuditUserIds.UnknownPrefix.Length + 16, e.UserId!.Length);
            Assert.DoesNotContain(typed, e.UserId + e.Target + e.Details, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(failed[1].UserId, failed[2].UserId);
        Assert.NotEqual(failed[0].UserId, failed[1].UserId);
    }

    [Fact]
    public async Task HugeUserField_IsStoredBounded()
    {
        await using var server = await AccountsServer.StartAsync(Ct);

        await AccountsServer.PostLoginAsync(server.Anonymous(), new string('p', 100_000), "anything-at-all", Ct);

        var entry = Assert.Single(await server.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { Action = AuditActions.LoginFailed }, Ct));
        Assert.True(entry.UserId!.Length <= 32, entry.UserId);
    }

    [Theory]
    [InlineData("lena")]
    [InlineData("LENA")]
    public async Task AKnownUsersId_IsStoredAsThatUsersId(string typed)
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);

        await AccountsServer.PostLoginAsync(server.Anonymous(), typed, "not-her-password", Ct);

        var entry = Assert.Single(await server.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { Action = AuditActions.LoginFailed }, Ct));
        Assert.Equal("lena", entry.UserId);
    }
}
