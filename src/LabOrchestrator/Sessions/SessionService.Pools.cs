using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Pools;
using LabOrchestrator.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>
/// Warm pools: sessions started for <see cref="PoolOwner"/> and claimed by a learner's Start. The database is the truth
/// about who owns a session; engine objects keep the labels they were created with.
/// </summary>
internal sealed partial class SessionService
{
    private readonly PreparedTerminals prepared = new(time);

    public async Task<Session> CreatePooledAsync(string labName, CancellationToken cancellationToken = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await PoolOwner.EnsureAsync(db, time.GetUtcNow(), cancellationToken);
        }

        var session = await CreateAsync(labName, new UserRef(PoolOwner.UserId), cancellationToken);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Pooled, true), cancellationToken);
        }

        return session with { Pooled = true };
    }

    public async Task<Session?> ClaimPooledAsync(string labName, UserRef user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Id);
        var lab = await catalog.GetAsync(labName, cancellationToken);
        if (lab is null || PoolEligibility.WhyNot(lab.Definition) is not null)
        {
            return null;
        }

        List<(string Id, string LabYaml, string? GuideHash)> candidates;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            candidates = (await db.Sessions.AsNoTracking()
                    .Where(s => s.LabName == lab.Name && s.Pooled && s.State == SessionState.Running && s.UserId == PoolOwner.UserId)
                    .Select(s => new { s.Id, s.LabYaml, s.GuideHash, s.CreatedAt })
                    .ToListAsync(cancellationToken))
                .OrderBy(s => s.CreatedAt)
                .Select(s => (s.Id, s.LabYaml, s.GuideHash))
                .ToList();
        }

        // Only a session of the lab as it is now: the same file and the same guide.
        var guideHash = guideSnapshots.CurrentHash(lab);
        foreach (var (id, _, _) in candidates.Where(c => c.LabYaml == lab.SourceYaml && c.GuideHash == guideHash))
        {
            // One conditional update takes the session out of the pool: of two claimers, the database lets one win.
            // It stays the pool owner's (invisible to learners) until its passwords are set and it is bound.
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var taken = await db.Sessions
                .Where(s => s.Id == id && s.Pooled && s.State == SessionState.Running && s.UserId == PoolOwner.UserId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Pooled, false), cancellationToken);
            if (taken == 1 && await BindAsync(id, lab.Definition, user, cancellationToken) is { } claimed)
            {
                return claimed;
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<string>> ListOutdatedPooledAsync(CancellationToken cancellationToken = default)
    {
        var labs = (await catalog.ListAsync(cancellationToken)).ToDictionary(l => l.Name, l => (l.SourceYaml, Guide: guideSnapshots.CurrentHash(l)), StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pooled = await db.Sessions.AsNoTracking()
            .Where(s => s.Pooled && s.State != SessionState.Stopped)
            .Select(s => new { s.Id, s.LabName, s.LabYaml, s.GuideHash })
            .ToListAsync(cancellationToken);
        return pooled.Where(s => !labs.TryGetValue(s.LabName, out var now) || now.SourceYaml != s.LabYaml || now.Guide != s.GuideHash).Select(s => s.Id).ToList();
    }

    /// <summary>Fresh passwords into the nodes, then the session to the learner; on a failure the session is stopped and null returned.</summary>
    private async Task<Session?> BindAsync(string sessionId, LabDefinition lab, UserRef user, CancellationToken cancellationToken)
    {
        var fresh = lab.Nodes
            .SelectMany(n => n.Credentials.Where(c => c.GeneratePassword)
                .Select(c => new ResolvedCredential(n.Name, c.Name, c.Username, PasswordGenerator.New(options.Value.GeneratedPasswordLength))))
            .ToList();
        ILabEngine engine;
        try
        {
            engine = await EngineOfAsync(sessionId, cancellationToken);
            await Task.WhenAll(CredentialRotation.NodesToRotate(lab).Select(async node =>
            {
                var command = CredentialRotation.Command(fresh.Where(c => c.Node == node.Name));
                var result = await engine.ExecAsync(sessionId, node.Name, command, CredentialRotation.Timeout, cancellationToken);
                if (result.ExitCode != 0 || result.TimedOut)
                {
                    // The output is the node's own and may echo a password: it stays out of the log.
                    throw new EngineException($"Setting the fresh passwords in node '{node.Name}' failed (exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}).");
                }
            }));
        }
        catch (Exception e) when (e is EngineException or TimeoutException)
        {
            LogClaimFailed(sessionId, e.Message);
            await StopAsync(sessionId, CancellationToken.None);
            return null;
        }
        catch (OperationCanceledException)
        {
            // Out of the pool but not bound: nobody would ever use it.
            await StopAsync(sessionId, CancellationToken.None);
            throw;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var userEntity = await db.Users.FirstOrDefaultAsync(u => u.Id == user.Id, cancellationToken);
        if (userEntity is null)
        {
            userEntity = new UserEntity { Id = user.Id, DisplayName = user.DisplayName, CreatedAt = time.GetUtcNow() };
            db.Users.Add(userEntity);
        }

        var session = await LoadAsync(db, sessionId, cancellationToken);
        var now = time.GetUtcNow();
        session.UserId = userEntity.Id;
        session.ClaimedAt = now;
        // The learner's time starts now, not when the pool started the nodes.
        session.StartedAt = now;
        session.ExpiresAt = lab.Limits.Duration is { } duration ? now + duration : null;
        foreach (var credential in session.Credentials)
        {
            if (fresh.FirstOrDefault(f => f.Node == credential.Node && f.Name == credential.Name) is { } replaced)
            {
                credential.Password = replaced.Password;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        LogClaimed(sessionId, lab.Name, user.Id);
        // The session is the learner's, its passwords in force. Its first terminal was opened when the pool session became
        // Running and waits from now for the learner; a pool session without one (a restarted server's) opens it now,
        // without holding up the answer, so that the learner's first terminal open finds the exec started or on its way.
        if (!prepared.Renew(sessionId))
        {
            PrepareFirstTerminal(sessionId, lab, engine, waitForClaim: false);
        }

        return ToSession(session, userEntity.DisplayName);
    }

    /// <summary>
    /// Starts opening the login shell of the lab's first container node that offers a terminal, as the user a fresh open
    /// uses (the node's access user), for the first terminal opened on that node (<see cref="OpenTerminalAsync"/>).
    /// </summary>
    private void PrepareFirstTerminal(string sessionId, LabDefinition lab, ILabEngine engine, bool waitForClaim)
    {
        if (options.Value.PrepareTerminals && lab.Nodes.FirstOrDefault(n => n.Kind == NodeKind.Container && n.Access.Terminal) is { } terminalNode)
        {
            var terminal = new TerminalOptions { User = terminalNode.Access.User };
            prepared.Add(sessionId, terminalNode.Name, terminal.User, engine.OpenTerminalAsync(sessionId, terminalNode.Name, terminal, CancellationToken.None), waitForClaim);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pooled session {SessionId} of lab {Lab} claimed by user {UserId}")]
    private partial void LogClaimed(string sessionId, string lab, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming pooled session {SessionId} failed, it is stopped: {Reason}")]
    private partial void LogClaimFailed(string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The terminal prepared for session {SessionId} on node {Node} cannot be used ({Reason}); a fresh one is opened")]
    private partial void LogPreparedTerminalUnusable(string sessionId, string node, string reason);
}
