import type { Session } from "../api/types";

// The start page hands the session it just saw reach Running to the workspace, which can then open its terminals at
// once instead of waiting for its own GET of the session (it still reads it, to be current).
let handedOver: Session | null = null;

export function handOver(session: Session) {
  handedOver = session;
}

/** The session handed over for this id, if any. */
export function handedOverSession(id: string): Session | null {
  return handedOver && handedOver.id === id ? handedOver : null;
}
