/** The gateway URL of a node's terminal on the same origin as the page. */
export function terminalUrl(loc: { protocol: string; host: string }, sessionId: string, node: string, cols: number, rows: number): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  const c = Math.min(1000, Math.max(1, Math.floor(cols) || 80));
  const r = Math.min(1000, Math.max(1, Math.floor(rows) || 24));
  return `${scheme}//${loc.host}/gateway/sessions/${encodeURIComponent(sessionId)}/nodes/${encodeURIComponent(node)}/terminal?cols=${c}&rows=${r}`;
}


export type CloseOutcome = "stopped" | "exited" | "failed" | "reset" | "reconnect";

/** What a closed terminal connection means for the user. */
export function classifyClose(code: number, sawExit: boolean): CloseOutcome {
  if (code === 4000) return "stopped";
  // The machine is being reset: reconnect (with back-off) once it runs again.
  if (code === 4004) return "reset";
  if (code === 1000 && sawExit) return "exited";
  if (code === 1011 || code === 1009) return "failed";
  return "reconnect";
}
