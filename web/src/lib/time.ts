/** "1 h 05 min", "12 min", "4 min 05 s", "45 s"; negative gives "0 s", missing gives "No limit". */
export function formatTimeLeft(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return "No limit";
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h === 0) {
    if (s < 600) {
      const rest = s % 60;
      return rest === 0 ? `${m} min` : `${m} min ${String(rest).padStart(2, "0")} s`;
    }
    return `${m} min`;
  }
  return `${h} h ${String(m).padStart(2, "0")} min`;
}

/** A lab's expected duration, for catalogue cards: "1 h", "1 h 30 min", "45 min". */
export function formatDuration(seconds: number | undefined | null): string | undefined {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const totalMinutes = Math.round(seconds / 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Seconds left until expiresAt at the time now (ms), never negative; undefined when there is no limit. */
export function secondsLeft(expiresAt: string | undefined, nowMs: number): number | undefined {
  if (!expiresAt) return undefined;
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return undefined;
  return Math.max(0, Math.floor((end - nowMs) / 1000));
}

/** "just now", "5 min ago", "3 h ago", else a date. */
export function formatRelative(iso: string | undefined, nowMs: number): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  const diff = Math.round((nowMs - t) / 1000);
  if (diff < 45) return "just now";
  if (diff < 3600) return `${Math.round(diff / 60)} min ago`;
  if (diff < 86400) return `${Math.round(diff / 3600)} h ago`;
  return new Date(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The time-running-out toast for this many seconds left: one at 5 minutes, one at 1 minute, none otherwise. */
export function timeToast(seconds: number | undefined): string | undefined {
  if (seconds === undefined || seconds <= 0) return undefined;
  if (seconds <= 60) return "1 minute left: save your work. The session stops when the time is up.";
  if (seconds <= 300) return "5 minutes left in this session.";
  return undefined;
}
