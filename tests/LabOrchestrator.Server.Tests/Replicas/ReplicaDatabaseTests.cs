using System.Net;
using System.Net.Http.Headers;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Replicas;

/// <summary>Two server replicas (two hosts, two service containers) on one database, on SQLite and on PostgreSQL.</summary>
public sealed class ReplicaDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoReplicas_StartingAtOnceOnAnEmptyDatabase_BothStart_AndEachMigrationIsAppliedOnce(string provider)
    {
        var folder = Directory.CreateTempSubdirectory("labo-replicas-").FullName;
        await using var database = await TestDatabase.CreateAsync(provider, folder, Ct);
        try
        {
            var engine = new FakeLabEngine();
            var starts = Enumerable.Range(0, 2).Select(_ => ServerHost.StartWithFakeEngineAsync(engine, settings: new Dictionary<string, string?>(database.Settings), cancellationToken: Ct)).ToList();
            await using var first = await starts[0];
            await using var second = await starts[1];

            await using var db = await first.Services.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>().CreateDbContextAsync(Ct);
            var known = db.Database.GetMigrations().ToList();
            var applied = (await db.Database.GetAppliedMigrationsAsync(Ct)).ToList();
            Assert.NotEmpty(known);
            Assert.Equal(known, applied);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            // Both replicas serve the same store: a user made on one signs in on the other.
            var (_, secret) = await first.UserAsync("ada", Roles.Learner, Ct);
            using var onSecond = Bearer(second, secret);
            Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/me", Ct)).StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoReplicas_RacingForALearnersLastAllowedSession_ExactlyOneStarts(string provider)
    {
        var folder = Directory.CreateTempSubdirectory("labo-replicas-").FullName;
        await using var database = await TestDatabase.CreateAsync(provider, folder, Ct);
        try
        {
            // One engine behind both replicas, as one Podman host or cluster would be.
            var engine = new FakeLabEngine();
            var settings = new Dictionary<string, string?>(database.Settings) { ["Quotas:PerUser"] = "1" };
            await using var first = await ServerHost.StartWithFakeEngineAsync(engine, settings: settings, cancellationToken: Ct);
            await using var second = await ServerHost.StartWithFakeEngineAsync(engine, settings: settings, cancellationToken: Ct);
            var (instructor, _) = await first.UserAsync("ines", Roles.Instructor, Ct);
            await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", Ct);

            // Each round a new learner asks both replicas at once, several times each; Quotas:PerUser is 1.
            for (var round = 0; round < 3; round++)
            {
                var (_, secret) = await first.UserAsync($"lea{round}", Roles.Learner, Ct);
                var clients = new[] { Bearer(first, secret), Bearer(first, secret), Bearer(first, secret), Bearer(second, secret), Bearer(second, secret), Bearer(second, secret) };
                var responses = await Task.WhenAll(clients.Select(c => SessionsApi.StartAsync(c, "two-hosts", Ct)));

                var codes = responses.Select(r => r.StatusCode).ToList();
                Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Accepted));
                Assert.Equal(clients.Length - 1, codes.Count(c => c == HttpStatusCode.TooManyRequests));
                var sessions = await second.Services.GetRequiredService<ISessionService>().ListAsync(new SessionQuery { UserId = $"lea{round}" }, Ct);
                Assert.Single(sessions);
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static HttpClient Bearer(ServerHost server, string secret)
    {
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }
}
