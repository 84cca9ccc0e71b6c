using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>
/// One server with a fixed access-token key, three users and two running hello-linux sessions (learner A's and learner B's),
/// shared by the gateway tests of a class to keep Podman work small.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string KeyId = "test-key";
    public static readonly string KeySecret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private ServerHost? server;

    internal ServerHost Server => server ?? throw new InvalidOperationException("Not started.");
    public ISessionService Sessions => Server.Services.GetRequiredService<ISessionService>();
    public HttpClient LearnerA { get; private set; } = null!;
    public string LearnerASecret { get; private set; } = "";
    public HttpClient LearnerB { get; private set; } = null!;
    public string LearnerBSecret { get; private set; } = "";
    public string InstructorSecret { get; private set; } = "";
    public Session SessionA { get; private set; } = null!;
    public Session SessionB { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:AccessTokenKeys:0:Id"] = KeyId,
            ["Gateway:AccessTokenKeys:0:Secret"] = KeySecret,
        });
        (LearnerA, LearnerASecret) = await Server.UserAsync("alice", Roles.Learner);
        (LearnerB, LearnerBSecret) = await Server.UserAsync("bob", Roles.Learner);
        (_, InstructorSecret) = await Server.UserAsync("ines", Roles.Instructor);
        await Server.Services.GetRequiredService<ILabCatalog>().AddAsync(LabSource.FromPath(RepositoryRoot.Lab("hello-linux")));
        var started = await Task.WhenAll(
            Sessions.StartAsync("hello-linux", new UserRef("alice")),
            Sessions.StartAsync("hello-linux", new UserRef("bob")));
        (SessionA, SessionB) = (started[0], started[1]);
        Assert.All(started, s => Assert.Equal(SessionState.Running, s.State));
    }

    /// <summary>The user's current credential (as a cookie login would carry it), for issuing access tokens directly.</summary>
    internal async Task<SignIn> SignInAsync(string userId)
    {
        var current = await Server.Services.GetRequiredService<IAccountService>().GetSignInAsync(userId);
        return new SignIn(current!.User.Id, current.Stamp);
    }

    public Uri TerminalUri(string sessionId, string node = "linux", string? query = null) =>
        new($"ws://{Server.Address.Authority}/gateway/sessions/{sessionId}/nodes/{node}/terminal{(query is null ? "" : "?" + query)}");

    public async ValueTask DisposeAsync()
    {
        LearnerA?.Dispose();
        LearnerB?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
