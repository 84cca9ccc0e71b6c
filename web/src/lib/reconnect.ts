import { api } from "../api";

/** What a console learns before it tries to reconnect: whether its session still runs. */
export type SessionCheck =
  | { kind: "running" }
  | { kind: "stopped" }
  /** The server refused to say (401, 403, 404): retrying would not help. */
  | { kind: "refused"; message?: string }
  /** The server could not be asked (network, 5xx): worth retrying. */
  | { kind: "unknown" };

/**
 * A console connection that cannot open may mean the session is gone: terminals and desktops ask the server before
 * each automatic reconnect.
 */
export async function checkSessionBeforeReconnect(sessionId: string): Promise<SessionCheck> {
  try {
    const s = await api.session(sessionId);
    return s.state === "Running" ? { kind: "running" } : { kind: "stopped" };
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 401 || status === 403 || status === 404) {
      return { kind: "refused", message: err instanceof Error ? err.message : undefined };
    }
    return { kind: "unknown" };
  }
}
