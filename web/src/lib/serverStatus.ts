/**
 * Whether the server answers: the API client reports each call's fate, the page-wide notice shows while the server is
 * away and probes until it is back. A tiny store rather than React state, so that non-React code can report.
 */
export type ServerStatus = "up" | "away";

type Listener = (status: ServerStatus) => void;

let status: ServerStatus = "up";
const listeners = new Set<Listener>();

export function serverStatus(): ServerStatus {
  return status;
}

export function reportServer(next: ServerStatus): void {
  if (next === status) return;
  status = next;
  for (const l of [...listeners]) l(status);
}

export function onServerStatus(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** An answer at all (even 4xx) means the server is there; a network failure or a proxy's 502/503/504 means it is not. */
export function statusFromResponse(httpStatus: number): ServerStatus {
  return httpStatus === 0 || httpStatus === 502 || httpStatus === 503 || httpStatus === 504 ? "away" : "up";
}
