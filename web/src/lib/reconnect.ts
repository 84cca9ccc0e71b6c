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

/**
 * Delay before reconnect attempt n (1-based): 300 ms doubling to a cap of 1.5 s, each shortened by up to 30 % at
 * random so that many browsers do not knock on a restarted server at the same instant. The cap keeps the wait after a
 * server comes back under 1.5 s, however long it was away.
 */
export const RECONNECT_BASE_MS = 300;
export const RECONNECT_CAP_MS = 1500;
export const RECONNECT_JITTER = 0.3;
/** Consoles stop retrying on their own after this long without a connection; "Reconnect" tries again. */
export const RECONNECT_GIVE_UP_MS = 5 * 60_000;

export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const full = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(full * (1 - RECONNECT_JITTER * random()));
}

/**
 * Calls `probe` until it answers true, waiting reconnectDelayMs between tries; resolves true when it did, false when
 * aborted. `onWait(attempt, delayMs)` tells about each wait.
 */
export function retryUntil(
  probe: () => Promise<boolean>,
  options: { signal?: AbortSignal; random?: () => number; onWait?: (attempt: number, delayMs: number) => void } = {},
): Promise<boolean> {
  const { signal, random = Math.random, onWait } = options;
  return new Promise((resolve) => {
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    if (signal?.aborted) return resolve(false);
    signal?.addEventListener("abort", abort, { once: true });
    const tryOnce = async () => {
      let ok = false;
      try {
        ok = await probe();
      } catch {
        ok = false;
      }
      if (signal?.aborted) return;
      if (ok) {
        signal?.removeEventListener("abort", abort);
        resolve(true);
        return;
      }
      attempt += 1;
      const delay = reconnectDelayMs(attempt, random);
      onWait?.(attempt, delay);
      timer = setTimeout(tryOnce, delay);
    };
    void tryOnce();
  });
}
