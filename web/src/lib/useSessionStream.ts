import { useEffect, useReducer } from "react";
import { api } from "../api";
import { initialStream, isFinal, reduceSessionEvent, type SessionEvent, type SessionStream } from "./session";

type Action = { type: "event"; event: SessionEvent } | { type: "error"; message: string };

export type StreamState = SessionStream & { loadError?: string };

function reducer(state: StreamState, action: Action): StreamState {
  if (action.type === "error") return { ...state, loadError: action.message };
  return { ...reduceSessionEvent(state, action.event), loadError: undefined };
}

/**
 * Follows a session's start through its server-sent events, falling back to polling when the
 * stream cannot be used (another replica, a proxy that buffers, a dropped connection).
 */
export function useSessionStream(id: string): StreamState {
  const [state, dispatch] = useReducer(reducer, initialStream as StreamState);

  useEffect(() => {
    let closed = false;
    let pollTimer: number | undefined;
    let source: EventSource | undefined;
    let finished = false;
    let polledId = 1_000_000_000; // polled answers are newer than any event seen so far

    const poll = async () => {
      if (closed) return;
      try {
        const s = await api.session(id);
        dispatch({ type: "event", event: { id: String(++polledId), data: JSON.stringify(s) } });
        if (isFinal(s.state)) return;
      } catch (err) {
        dispatch({ type: "error", message: err instanceof Error ? err.message : "The session could not be loaded." });
        if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 403) return;
      }
      pollTimer = window.setTimeout(poll, 2000);
    };

    if (typeof EventSource === "undefined") {
      void poll();
    } else {
      source = new EventSource(`/api/sessions/${encodeURIComponent(id)}/events`);
      source.addEventListener("session", (e) => {
        const me = e as MessageEvent<string>;
        dispatch({ type: "event", event: { id: me.lastEventId, data: me.data } });
        try {
          if (isFinal((JSON.parse(me.data) as { state: never }).state)) {
            finished = true;
            source?.close();
          }
        } catch {
          /* the reducer reports it */
        }
      });
      source.onerror = () => {
        source?.close();
        if (!finished && !closed) void poll();
      };
    }
    return () => {
      closed = true;
      source?.close();
      window.clearTimeout(pollTimer);
    };
  }, [id]);

  return state;
}
