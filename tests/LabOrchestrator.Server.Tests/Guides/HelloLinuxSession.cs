using LabOrchestrator.Guides;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Guides;

/// <summary>
/// A server with an instructor (ines), the session's owner (lea, display name LEA) and another learner (bob), and a
/// running session of the repository's hello-linux lab for lea: what the guide tests work on.
/// </summary>
internal sealed class HelloLinuxSession : IAsyncDisposable
{
    private HelloLinuxSession(ServerHost server, HttpClient instructor, HttpClient learner, HttpClient other, Session session)
    {
        Server = server;
        Instructor = instructor;
        Learner = learner;
        Other = other;
        Session = session;
    }

    public ServerHost Server { get; }
    public HttpClient Instructor { get; }
    public HttpClient Learner { get; }
    public HttpClient Other { get; }
    public Session Session { get; }
    public ISessionService Sessions => Server.Services.GetRequiredService<ISessionService>();

    public static async Task<HelloLinuxSession> StartAsync(CancellationToken cancellationToken)
    {
        var server = await ServerHost.StartAsync(cancellationToken: cancellationToken);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, cancellationToken);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, cancellationToken);
        var (other, _) = await server.UserAsync("bob", Roles.Learner, cancellationToken);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", cancellationToken);
        var session = await server.Services.GetRequiredService<ISessionService>()
            .StartAsync("hello-linux", new UserRef("lea", "LEA"), cancellationToken: cancellationToken);
        Assert.Equal(SessionState.Running, session.State);
        return new HelloLinuxSession(server, instructor, learner, other, session);
    }

    /// <summary>Runs a step's solve script in the session, as <c>labctl lab test</c> does.</summary>
    public async Task SolveAsync(string stepId, CancellationToken cancellationToken)
    {
        var step = GuideLoader.Load(Path.Combine(RepositoryRoot.Lab("hello-linux"), "guide")).GetGuideOrThrow().Steps.Single(s => s.Id == stepId);
        var solved = await GuideChecker.RunAsync(Sessions, Session.Id, step.Solve!, cancellationToken);
        Assert.Equal(0, solved.ExitCode);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
