using LabOrchestrator.Server.Lifecycle;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>What <see cref="SessionEventHub"/> carries: a changed session, or a warning that it will soon stop.</summary>
internal sealed record SessionHubEvent(Session? Session, SessionWarning? Warning);
