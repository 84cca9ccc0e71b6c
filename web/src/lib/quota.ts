import type { Session } from "../api/types";

/** The learner's own session limit (429, `limit: "perUser"`): their running sessions can make room. */
export function isPerUserQuota(err: unknown): err is { status: number; message: string; problem?: { current?: unknown; max?: unknown } } {
  const e = err as { status?: number; problem?: { limit?: unknown } } | null;
  return !!e && e.status === 429 && e.problem?.limit === "perUser";
}

/** Sessions that count against the learner's limit (everything not stopped or failed), oldest first. */
export function countedSessions(sessions: readonly Session[], userId: string): Session[] {
  return sessions
    .filter((s) => s.userId === userId && s.state !== "Stopped" && s.state !== "Failed")
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** "You already have 2 of 2 sessions running." from the problem's figures, or a plain sentence without them. */
export function quotaSentence(problem: { current?: unknown; max?: unknown } | undefined): string {
  const current = typeof problem?.current === "number" ? problem.current : undefined;
  const max = typeof problem?.max === "number" ? problem.max : undefined;
  if (current !== undefined && max !== undefined) return `You already have ${current} of ${max} sessions allowed at once.`;
  return "You already have as many sessions as you may run at once.";
}
