using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>Save a running session and continue it later in a new session, after a stop or a server restart.</summary>
internal sealed partial class SessionService
{
    public async Task<SavedSession> SaveAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await LoadAsync(db, sessionId, cancellationToken);
        if (session.State != SessionState.Running)
        {
            throw new InvalidSessionStateException(sessionId, session.State, SessionState.Running);
        }

        var lab = LabParser.Parse(new LabSource(session.LabYaml, $"{session.LabName}/{LabSource.DefaultFileName}", null)).GetLabOrThrow();
        if (lab.Nodes.FirstOrDefault(n => n.Kind == NodeKind.Vm) is { } vm)
        {
            throw new SaveRefusedException(
                $"Node '{vm.Name}' is a virtual machine, and sessions with virtual machines cannot be saved yet: a VM's disk changes live in a temporary overlay that is made anew on every start.");
        }

        var max = options.Value.MaxSavedSessionsPerUser;
        var kept = await db.SavedSessions.CountAsync(s => s.UserId == session.UserId, cancellationToken);
        if (kept >= max)
        {
            throw new SavedSessionQuotaException(kept, max);
        }

        var id = SessionIds.New();
        var labels = new Dictionary<string, string>
        {
            [LabLabels.Persistent] = LabLabels.PersistentSaved,
            [LabLabels.Saved] = id,
            [LabLabels.User] = Compilation.PersistentNames.UserLabel(session.UserId),
            [LabLabels.Lab] = session.LabName,
            [LabLabels.ManagedBy] = LabLabels.ManagedByValue,
        };
        var engine = engines.Get(session.Engine);
        var images = await engine.SaveAsync(sessionId, labels, cancellationToken);
        var steps = await db.SessionSteps.AsNoTracking().Where(s => s.SessionId == sessionId).ToListAsync(cancellationToken);
        var saved = new SavedSessionEntity
        {
            Id = id,
            UserId = session.UserId,
            LabName = session.LabName,
            Engine = session.Engine,
            SessionId = sessionId,
            CreatedAt = time.GetUtcNow(),
            LabYaml = session.LabYaml,
            GuideHash = session.GuideHash,
            ImagesJson = JsonSerializer.Serialize(images),
            CredentialsJson = JsonSerializer.Serialize(session.Credentials.Select(c => new SavedCredential(c.Node, c.Name, c.Username, c.Password)).ToList()),
            StepsJson = JsonSerializer.Serialize(steps.Select(SavedStep.From).ToList()),
        };
        db.SavedSessions.Add(saved);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch
        {
            // Without its row nobody could find the images again.
            await engine.DeletePersistentAsync(new Dictionary<string, string> { [LabLabels.Saved] = id }, CancellationToken.None);
            throw;
        }

        LogSaved(sessionId, id, images.Count);
        return ToSaved(saved);
    }

    public async Task<IReadOnlyList<SavedSession>> ListSavedAsync(string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.SavedSessions.AsNoTracking();
        if (userId is not null)
        {
            query = query.Where(s => s.UserId == userId);
        }

        var list = await query.ToListAsync(cancellationToken);
        return list.OrderBy(s => s.CreatedAt).Select(ToSaved).ToList();
    }

    public async Task<SavedSession?> GetSavedAsync(string savedId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var saved = await db.SavedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == savedId, cancellationToken);
        return saved is null ? null : ToSaved(saved);
    }

    public async Task DeleteSavedAsync(string savedId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var saved = await db.SavedSessions.FirstOrDefaultAsync(s => s.Id == savedId, cancellationToken) ?? throw new SavedSessionNotFoundException(savedId);
        var user = await db.Sessions.AsNoTracking()
            .Where(s => s.SavedSessionId == savedId && s.State != SessionState.Stopped && s.State != SessionState.Failed)
            .Select(s => s.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (user is not null)
        {
            throw new InvalidOperationException($"Session '{user}' continues saved session '{savedId}'; stop it first, then delete the save.");
        }

        // Images first: a session still running from them refuses the delete, and the row stays to try again.
        await engines.Get(saved.Engine).DeletePersistentAsync(new Dictionary<string, string> { [LabLabels.Persistent] = LabLabels.PersistentSaved, [LabLabels.Saved] = savedId }, cancellationToken);
        db.SavedSessions.Remove(saved);
        await db.SaveChangesAsync(CancellationToken.None);
        LogSavedDeleted(savedId);
    }

    public async Task<Session> CreateFromSavedAsync(string savedId, UserRef user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Id);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var saved = await db.SavedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == savedId, cancellationToken) ?? throw new SavedSessionNotFoundException(savedId);
        var lab = LabParser.Parse(new LabSource(saved.LabYaml, $"{saved.LabName}/{LabSource.DefaultFileName}", null)).GetLabOrThrow();
        var credentials = JsonSerializer.Deserialize<List<SavedCredential>>(saved.CredentialsJson) ?? [];
        var session = new SessionEntity
        {
            Id = SessionIds.New(),
            LabName = saved.LabName,
            UserId = saved.UserId,
            // The saved images live where the save was made.
            Engine = engines.Get(saved.Engine).Name,
            State = SessionState.Pending,
            CreatedAt = time.GetUtcNow(),
            LabYaml = saved.LabYaml,
            GuideHash = saved.GuideHash,
            SavedSessionId = saved.Id,
            Nodes = lab.Nodes.Select((n, i) => new SessionNodeEntity { SessionId = "", Name = n.Name, Ordinal = i, State = NodeState.Pending }).ToList(),
            Credentials = credentials.Select(c => new SessionCredentialEntity { SessionId = "", Node = c.Node, Name = c.Name, Username = c.Username, Password = c.Password }).ToList(),
        };
        db.Sessions.Add(session);
        foreach (var step in JsonSerializer.Deserialize<List<SavedStep>>(saved.StepsJson) ?? [])
        {
            db.SessionSteps.Add(step.ToEntity(session.Id));
        }

        await db.SaveChangesAsync(cancellationToken);
        LogContinued(session.Id, saved.Id);
        var owner = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == saved.UserId, cancellationToken);
        return ToSession(session, owner?.DisplayName);
    }

    /// <summary>A session that continues a saved one runs the saved images instead of the lab's.</summary>
    private async Task<LabDefinition> WithSavedImagesAsync(LabOrchestratorDbContext db, SessionEntity session, LabDefinition lab, CancellationToken cancellationToken)
    {
        if (session.SavedSessionId is null)
        {
            return lab;
        }

        var saved = await db.SavedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == session.SavedSessionId, cancellationToken);
        if (saved is null)
        {
            // Deleting a save is refused while a session uses it; should one slip through, the lab starts fresh rather than never.
            LogSavedMissing(session.Id, session.SavedSessionId);
            return lab;
        }

        var images = JsonSerializer.Deserialize<Dictionary<string, string>>(saved.ImagesJson) ?? [];
        return lab with { Nodes = lab.Nodes.Select(n => images.TryGetValue(n.Name, out var image) ? n with { Image = image } : n).ToList() };
    }

    private static SavedSession ToSaved(SavedSessionEntity entity) => new()
    {
        Id = entity.Id,
        UserId = entity.UserId,
        LabName = entity.LabName,
        Engine = entity.Engine,
        SessionId = entity.SessionId,
        CreatedAt = entity.CreatedAt,
        Nodes = JsonSerializer.Deserialize<Dictionary<string, string>>(entity.ImagesJson) ?? [],
        StepsDone = (JsonSerializer.Deserialize<List<SavedStep>>(entity.StepsJson) ?? []).Count(s => s.Done),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} saved as {SavedId} ({Nodes} nodes)")]
    private partial void LogSaved(string sessionId, string savedId, int nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved session {SavedId} deleted with its images")]
    private partial void LogSavedDeleted(string savedId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} continues saved session {SavedId}")]
    private partial void LogContinued(string sessionId, string savedId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} continues saved session {SavedId}, which is gone; it starts from the lab's images")]
    private partial void LogSavedMissing(string sessionId, string savedId);

    private sealed record SavedCredential(string Node, string Name, string Username, string Password);

    private sealed record SavedStep(string StepId, bool Done, string? Method, DateTimeOffset? CompletedAt, int CheckAttempts, DateTimeOffset? LastCheckedAt, bool? LastCheckPassed, string? LastFeedback)
    {
        public static SavedStep From(SessionStepEntity s) => new(s.StepId, s.Done, s.Method, s.CompletedAt, s.CheckAttempts, s.LastCheckedAt, s.LastCheckPassed, s.LastFeedback);

        public SessionStepEntity ToEntity(string sessionId) => new()
        {
            SessionId = sessionId,
            StepId = StepId,
            Done = Done,
            Method = Method,
            CompletedAt = CompletedAt,
            CheckAttempts = CheckAttempts,
            LastCheckedAt = LastCheckedAt,
            LastCheckPassed = LastCheckPassed,
            LastFeedback = LastFeedback,
        };
    }
}
