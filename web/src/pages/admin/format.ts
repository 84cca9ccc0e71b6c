import type { Progress } from "../../api/guide";

/** "29 Nov 2026, 10:10:02" in the reader's locale and time zone; "—" when missing or unreadable. */
export function formatDateTime(iso: string | undefined, locale?: string): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) return "—";
  return new Date(t).toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}

/** "29 Nov 2026"; "—" when missing. */
export function formatDate(iso: string | undefined, locale?: string): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) return "—";
  return new Date(t).toLocaleDateString(locale, { dateStyle: "medium" });
}

/** A person as lists show them: the display name, else the id. */
export function personName(id: string, displayName?: string | null): string {
  const name = displayName?.trim();
  return name ? name : id;
}

/** A progress the server sent, or undefined when there is none to show (no guide, or nonsense numbers). */
export function usableProgress(p: Progress | null | undefined): Progress | undefined {
  if (!p || typeof p.done !== "number" || typeof p.total !== "number" || !(p.total > 0)) return undefined;
  return { done: Math.max(0, Math.min(p.done, p.total)), total: p.total };
}
