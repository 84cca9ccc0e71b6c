import type { NodeState, Session, SessionState } from "../api/types";

export interface SessionStream {
  session?: Session;
  lastEventId: number;
  /** Readable problem when an event could not be understood. */
  error?: string;
}

export const initialStream: SessionStream = { lastEventId: 0 };

export interface SessionEvent {
  /** The SSE `id` line ("" when absent). */
  id: string;
  data: string;
}

/**
 * Folds one `session` server-sent event into the stream state. Every event carries the whole session,
 * so the newest replaces the previous; events with an older or equal id are ignored, and bad data keeps
 * the last good session.
 */
export function reduceSessionEvent(state: SessionStream, event: SessionEvent): SessionStream {
  const id = Number.parseInt(event.id, 10);
  const hasId = Number.isFinite(id);
  if (hasId && id <= state.lastEventId) return state;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    return { ...state, error: "The server sent an update that could not be read." };
  }
  if (!isSession(parsed)) return { ...state, error: "The server sent an update that could not be read." };
  const previous = state.session;
  // Keep credentials from an earlier full answer when a later event leaves them out.
  const session: Session =
    parsed.credentials === undefined && previous?.credentials && previous.id === parsed.id
      ? { ...parsed, credentials: previous.credentials }
      : parsed;
  return { session, lastEventId: hasId ? id : state.lastEventId, error: undefined };
}

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "string" && typeof v.state === "string" && Array.isArray(v.nodes);
}

const NODE_WEIGHT: Record<NodeState, number> = {
  Pending: 0,
  Creating: 1,
  Starting: 2,
  Running: 3,
  Stopped: 0,
  Failed: 0,
  Missing: 0,
};

/** Start progress 0–100 from the node states; 100 only when the session is Running. */
export function startProgress(session: Session | undefined): number {
  if (!session) return 0;
  if (session.state === "Running") return 100;
  if (session.nodes.length === 0) return session.state === "Starting" ? 50 : 5;
  const max = session.nodes.length * 3;
  const sum = session.nodes.reduce((acc, n) => acc + (NODE_WEIGHT[n.state] ?? 0), 0);
  // Leave room at both ends so the bar moves at once and only fills when the session runs.
  return Math.min(95, Math.max(5, Math.round(5 + (sum / max) * 90)));
}

export function isFinal(state: SessionState): boolean {
  return state === "Running" || state === "Failed" || state === "Stopped";
}

export function isActive(state: SessionState): boolean {
  return state === "Pending" || state === "Starting" || state === "Running" || state === "Stopping" || state === "Paused";
}

export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

export function stateTone(state: SessionState | NodeState): Tone {
  switch (state) {
    case "Running":
      return "success";
    case "Pending":
    case "Creating":
    case "Starting":
      return "info";
    case "Stopping":
    case "Paused":
      return "warning";
    case "Failed":
    case "Missing":
      return "danger";
    default:
      return "neutral";
  }
}

export function stateLabel(state: SessionState | NodeState): string {
  switch (state) {
    case "Pending":
      return "Waiting";
    case "Creating":
      return "Creating";
    case "Starting":
      return "Starting";
    case "Running":
      return "Running";
    case "Stopping":
      return "Stopping";
    case "Stopped":
      return "Stopped";
    case "Paused":
      return "Paused";
    case "Failed":
      return "Failed";
    case "Missing":
      return "Missing";
    default:
      return String(state);
  }
}
