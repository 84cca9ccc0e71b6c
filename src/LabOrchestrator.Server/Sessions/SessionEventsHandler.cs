using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// <c>GET /api/sessions/{id}/events</c>: Server-Sent Events, one <c>session</c> event with the whole session on every
/// state or node change, starting with the current state and ending once the session is Running, Failed or Stopped.
/// </summary>
internal static class SessionEventsHandler
{
    public const string EventType = "session";

    public static async Task<IResult> StreamAsync(string id, ClaimsPrincipal user, ISessionService sessions, SessionEventHub hub, TimeProvider time, CancellationToken cancellationToken)
    {
        // Subscribe before reading the current state, so that no change between the two is lost.
        var subscription = hub.Subscribe(id);
        try
        {
            var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
            return TypedResults.ServerSentEvents(EventsAsync(subscription, session, time, user.IsInstructorOrAdmin(), cancellationToken));
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    public static bool IsFinal(SessionState state) => state is SessionState.Running or SessionState.Failed or SessionState.Stopped;

    /// <summary>Final, unless a node of a running session is still being made (a reset): its progress follows.</summary>
    public static bool IsFinal(Session session) =>
        IsFinal(session.State) && !(session.State == SessionState.Running && session.Nodes.Any(n => n.State is NodeState.Pending or NodeState.Creating or NodeState.Starting));

    private static async IAsyncEnumerable<SseItem<SessionResponse>> EventsAsync(
        SessionEventHub.Subscription subscription, Session current, TimeProvider time, bool withDetails, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            var sequence = 0;
            yield return Item(current, time, withDetails, ++sequence);
            if (IsFinal(current))
            {
                yield break;
            }

            await foreach (var session in subscription.Reader.ReadAllAsync(cancellationToken))
            {
                yield return Item(session, time, withDetails, ++sequence);
                if (IsFinal(session))
                {
                    yield break;
                }
            }
        }
    }

    private static SseItem<SessionResponse> Item(Session session, TimeProvider time, bool withDetails, int sequence) =>
        new(SessionResponse.From(session, time, withDetails), EventType) { EventId = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
