using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Lifecycle;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// <c>GET /api/sessions/{id}/events</c>: Server-Sent Events for as long as the session lives. A <c>session</c> event with
/// the whole session on every state or node change, starting with the current state; a <c>warning</c> event
/// (<see cref="SessionWarning"/>) before the server stops it (time limit, idle, paused too long). The stream ends once the
/// session is Stopped or Failed, or when the server shuts down.
/// </summary>
internal static class SessionEventsHandler
{
    public const string EventType = "session";
    public const string WarningEventType = "warning";

    public static async Task<IResult> StreamAsync(
        string id, ClaimsPrincipal user, ISessionService sessions, SessionEventHub hub, TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        // Subscribe before reading the current state, so that no change between the two is lost.
        var subscription = hub.Subscribe(id);
        try
        {
            var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
            return TypedResults.ServerSentEvents(EventsAsync(subscription, session, time, user.IsInstructorOrAdmin(), cancellationToken, lifetime.ApplicationStopping));
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    /// <summary>States after which a session never changes again: its stream ends.</summary>
    public static bool IsFinal(SessionState state) => state is SessionState.Failed or SessionState.Stopped;

    private static async IAsyncEnumerable<SseItem<object>> EventsAsync(
        SessionEventHub.Subscription subscription, Session current, TimeProvider time, bool withDetails,
        [EnumeratorCancellation] CancellationToken cancellationToken, CancellationToken stopping)
    {
        // The stream lives as long as the session, so the server's shutdown must end it too, or it would wait for it.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        using (subscription)
        {
            var sequence = 0;
            yield return Item(current, time, withDetails, ++sequence);
            if (IsFinal(current.State))
            {
                yield break;
            }

            var reader = subscription.Reader;
            while (true)
            {
                try
                {
                    if (!await reader.WaitToReadAsync(linked.Token))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                while (reader.TryRead(out var item))
                {
                    if (item.Warning is { } warning)
                    {
                        yield return new SseItem<object>(warning, WarningEventType) { EventId = (++sequence).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    }
                    else if (item.Session is { } session)
                    {
                        yield return Item(session, time, withDetails, ++sequence);
                        if (IsFinal(session.State))
                        {
                            yield break;
                        }
                    }
                }
            }
        }
    }

    private static SseItem<object> Item(Session session, TimeProvider time, bool withDetails, int sequence) =>
        new(SessionResponse.From(session, time, withDetails), EventType) { EventId = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
