/** The gateway URL of a node's desktop (raw RFB over a WebSocket, websockify-style) on the same origin as the page. */
export function desktopUrl(
  loc: { protocol: string; host: string },
  sessionId: string,
  node: string,
  options: { watch?: boolean; accessToken?: string } = {},
): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  const query = new URLSearchParams();
  if (options.watch) query.set("mode", "watch");
  if (options.accessToken) query.set("access_token", options.accessToken);
  const q = query.toString();
  return `${scheme}//${loc.host}/gateway/sessions/${encodeURIComponent(sessionId)}/nodes/${encodeURIComponent(node)}/desktop${q ? `?${q}` : ""}`;
}

/** Automatic reconnects after a dropped desktop connection, before the pane gives up and offers a button. */
export const DESKTOP_MAX_ATTEMPTS = 8;

/**
 * Delay before automatic reconnect attempt n (1-based): 0.5, 1, 2, 4, 8, then 15 s. The first retry is quick because a
 * desktop connection usually drops for a passing reason (a proxy's idle timeout, a laptop waking up).
 */
export function desktopReconnectDelayMs(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** Math.max(0, Math.floor(attempt) - 1));
}

export type DesktopCloseOutcome = "stopped" | "failed" | "reconnect";

/**
 * What a closed desktop WebSocket means (close codes in docs/gateway.md): 4000 is the session stopping, for good;
 * protocol and server errors would only repeat, so they wait for the user; anything else (the desktop or the server
 * restarting, the network, a watcher too slow) is worth reconnecting.
 */
export function classifyDesktopClose(code: number): DesktopCloseOutcome {
  if (code === 4000) return "stopped";
  if (code === 1002 || code === 1003 || code === 1007 || code === 1008 || code === 1009 || code === 1011) return "failed";
  return "reconnect";
}

/** What the learner is told after text went to a desktop's clipboard. */
export const DESKTOP_PASTE_NOTE = "Sent to the desktop clipboard — paste with Ctrl+Shift+V in the terminal or the middle button";
