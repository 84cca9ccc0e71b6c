using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>
/// The UserSecurityStamp migration on a real SQLite file written by the previous schema, where "admin" and "ADMIN" coexist:
/// the first keeps its id, the later one is renamed with its sessions and tokens, disabled, and its tokens revoked.
/// </summary>
public sealed class UserIdMigrationTests
{
    private const string PreviousMigration = "20261129061001_GuideProgress";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdsDifferingOnlyInCase_AreSeparated_AndEveryUserGetsItsOwnStamp()
    {
        var folder = Directory.CreateTempSubdirectory("labo-migration-").FullName;
        var path = Path.Combine(folder, "old.db");
        try
        {
            var options = new DbContextOptionsBuilder<LabOrchestratorDbContext>().UseSqlite($"Data Source={path}").Options;
            await using (var db = new LabOrchestratorDbContext(options))
            {
                await db.GetService<IMigrator>().MigrateAsync(PreviousMigration, Ct);
                var hasher = new PasswordHasher<AccountUser>();
                var anyone = new AccountUser("x", null, Roles.Admin, false, DateTimeOffset.UnixEpoch);
                await InsertUserAsync(db, "admin", hasher.HashPassword(anyone, AccountsServer.AdminPassword));
                await InsertUserAsync(db, "ADMIN", hasher.HashPassword(anyone, "the-impostors-password"));
                await InsertUserAsync(db, "lena", hasher.HashPassword(anyone, AccountsServer.UserPassword));
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO api_tokens (Id, UserId, Name, SecretHash, CreatedAt) VALUES ('t1', 'ADMIN', 'old', {0}, '2026-01-01 00:00:00+00:00')",
                    [AccountService.HashSecret("lot_impostor")], Ct);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO sessions (Id, LabName, UserId, Engine, State, CreatedAt, LabYaml) VALUES ('s1', 'hello', 'ADMIN', 'podman', 'Stopped', '2026-01-01 00:00:00+00:00', '')",
                    [], Ct);
            }

            SqliteConnection.ClearAllPools();
            await using var server = await AccountsServer.StartAsync(Ct, new Dictionary<string, string?> { ["LabOrchestrator:DatabasePath"] = path });
            using var browser = server.Anonymous();
            using var login = await AccountsServer.PostLoginAsync(browser, "ADMIN", AccountsServer.AdminPassword, Ct);
            using var impostor = await AccountsServer.PostLoginAsync(server.Anonymous(), "ADMIN", "the-impostors-password", Ct);
            using var renamedLogin = await AccountsServer.PostLoginAsync(server.Anonymous(), "ADMIN-duplicate-2", "the-impostors-password", Ct);
            var users = await browser.GetFromJsonAsync<JsonElement[]>("/api/users", Ct);
            using var oldToken = AccountsServer.WithCookies(server, "");
            oldToken.DefaultRequestHeaders.Authorization = new("Bearer", "lot_impostor");

            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal("admin", (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("user").GetProperty("id").GetString());
            Assert.Equal(HttpStatusCode.Unauthorized, impostor.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, renamedLogin.StatusCode);
            Assert.Equal(["admin", "ADMIN-duplicate-2", "lena"], users!.Select(u => u.GetProperty("id").GetString()).Order(StringComparer.OrdinalIgnoreCase));
            Assert.True(users!.Single(u => u.GetProperty("id").GetString() == "ADMIN-duplicate-2").GetProperty("disabled").GetBoolean());
            Assert.Equal(HttpStatusCode.Unauthorized, (await oldToken.GetAsync("/api/me", Ct)).StatusCode);

            await using var check = new LabOrchestratorDbContext(options);
            Assert.False(check.Database.HasPendingModelChanges(), "the model differs from the last migration's snapshot");
            Assert.Equal("ADMIN-duplicate-2", (await check.Sessions.AsNoTracking().SingleAsync(s => s.Id == "s1", Ct)).UserId);
            // The tokens made under the library's old migrations were taken over, rows and all, by the accounts context.
            await using var accounts = new AccountsDbContext(new DbContextOptionsBuilder<AccountsDbContext>()
                .UseSqlite($"Data Source={path}", o => o.MigrationsHistoryTable(AccountsDbContext.MigrationsHistoryTable)).Options);
            Assert.False(accounts.Database.HasPendingModelChanges(), "the accounts model differs from its last migration's snapshot");
            Assert.Empty(await accounts.Database.GetPendingMigrationsAsync(Ct));
            var token = await accounts.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == "t1", Ct);
            Assert.Equal(("ADMIN-duplicate-2", true), (token.UserId, token.RevokedAt is not null));
            var stamps = await check.Users.AsNoTracking().Select(u => u.SecurityStamp).ToListAsync(Ct);
            Assert.All(stamps, s => Assert.Matches("^[0-9a-f]{32}$", s));
            Assert.Equal(stamps.Count, stamps.Distinct().Count());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<int> InsertUserAsync(LabOrchestratorDbContext db, string id, string hash) =>
        db.Database.ExecuteSqlRawAsync(
            "INSERT INTO users (Id, DisplayName, CreatedAt, Role, PasswordHash, Disabled) VALUES ({0}, NULL, '2026-01-01 00:00:00+00:00', 'admin', {1}, 0)",
            [id, hash], Ct);
}
