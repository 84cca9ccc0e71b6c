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

const AUTOMATIC = new Set(["TimeLimit", "Idle", "PausedTooLong"]);

/** The stop reason's kind and who stopped it, whether the server sends `stopReason` as a word or as {by, reason}. */
export function stopInfo(session: Session): { reason?: string; by?: string } {
  const r = session.stopReason;
  if (typeof r === "string") return { reason: r, by: session.stoppedBy };
  if (r && typeof r === "object") return { reason: typeof r.reason === "string" ? r.reason : undefined, by: r.by ?? session.stoppedBy };
  return { by: session.stoppedBy };
}

/** Who stopped the session, for the stopped or stopping page; undefined when the server did not say. */
export function stoppedByLine(session: Session, viewerId: string | undefined): string | undefined {
  const { reason, by } = stopInfo(session);
  if (reason && AUTOMATIC.has(reason)) return "Stopped automatically by Lab Orchestrator.";
  const role = reason === "Instructor" ? "an instructor" : reason === "Admin" ? "an admin" : undefined;
  if (by) {
    if (by === viewerId) return "Stopped by you.";
    return role ? `Stopped by ${role}, ${by}.` : `Stopped by ${by}.`;
  }
  if (role) return `Stopped by ${role}.`;
  if (reason === "Learner") return session.userId === viewerId ? "Stopped by you." : "Stopped by its learner.";
  return undefined;
}

/** Why a stopped session stopped, for its learner; a general sentence for sessions stopped before reasons were kept. */
export function stopSentence(session: Session): string {
  if (session.stopMessage) return session.stopMessage;
  const { reason } = stopInfo(session);
  switch (reason) {
    case "TimeLimit":
      return "This session stopped because its time was up.";
    case "Idle":
      return "This session stopped because nobody used it for a while.";
    case "PausedTooLong":
      return "This session stopped because it stayed paused too long.";
    case undefined:
    case "Learner":
    case "Instructor":
    case "Admin":
      return "Its machines have been removed. Start the lab again to continue.";
    default:
      // A reason in words ({by, reason}).
      return /[.!?]$/.test(reason) ? reason : `${reason}.`;
  }
}

/** "12 min" or "45 s" for a warning. */
export function shortSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.ceil(s / 60)} min` : `${s} s`;
}
