import type { Session, SessionWarning } from "../api/types";

/** Warnings in force, by kind; a cancelled warning removes its kind. */
export type Warnings = Partial<Record<SessionWarning["kind"], SessionWarning>>;

export function reduceWarning(warnings: Warnings, data: string): Warnings {
  let w: SessionWarning;
  try {
    w = JSON.parse(data) as SessionWarning;
  } catch {
    return warnings;
  }
  if (!w || typeof w.kind !== "string" || typeof w.endsAt !== "string") return warnings;
  const next = { ...warnings };
  if (w.cancelled) delete next[w.kind];
  else next[w.kind] = w;
  return next;
}

/** Drops warnings that no longer fit the session: a resumed session is not paused too long, a paused one not idle. */
export function warningsFor(warnings: Warnings, session: Session | undefined, now: number): Warnings {
  if (!session) return {};
  const next: Warnings = {};
  for (const w of Object.values(warnings)) {
    if (!w || Date.parse(w.endsAt) < now - 60_000) continue;
    if (w.kind === "pausedTooLong" && session.state !== "Paused") continue;
    if (w.kind !== "pausedTooLong" && session.state !== "Running") continue;
    if (w.kind === "timeLimit" && session.expiresAt && Date.parse(session.expiresAt) > Date.parse(w.endsAt)) continue;
    next[w.kind] = w;
  }
  return next;
}

export function extensionsLeft(session: Session): number {
  return Math.max(0, (session.maxExtensions ?? 0) - (session.extensions ?? 0));
}

/** Why a stopped session stopped, for its learner; a general sentence for sessions stopped before reasons were kept. */
export function stopSentence(session: Session): string {
  if (session.stopMessage) return session.stopMessage;
  switch (session.stopReason) {
    case "TimeLimit":
      return "This session stopped because its time was up.";
    case "Idle":
      return "This session stopped because nobody used it for a while.";
    case "PausedTooLong":
      return "This session stopped because it stayed paused too long.";
    default:
      return "Its machines have been removed. Start the lab again to continue.";
  }
}

/** "12 min" or "45 s" for a warning. */
export function shortSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.ceil(s / 60)} min` : `${s} s`;
}
