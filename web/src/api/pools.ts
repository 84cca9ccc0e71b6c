import type { ApiClient } from "./client";
import { client } from "./index";

/** A lab's warm pool as instructors and admins see it (GET /api/labs/{name}/pool). */
export interface PoolStatus {
  lab: string;
  /** Sessions the pool keeps now: 0 while the lab is unpublished or cannot be pooled. */
  size: number;
  labFileSize?: number | null;
  overrideSize?: number | null;
  ready: number;
  starting: number;
  notPoolable?: string | null;
  published: boolean;
  consecutiveFailures: number;
  lastFailureReason?: string | null;
  lastFailureDetail?: string | null;
  lastFailureAt?: string | null;
  nextAttemptAt?: string | null;
}

export const POOL_MAX = 100;

export interface PoolsApi {
  get(lab: string, signal?: AbortSignal): Promise<PoolStatus>;
  /** Admins only; null goes back to the lab file's pool.size. */
  set(lab: string, size: number | null): Promise<PoolStatus>;
}

export function createPoolsApi(c: ApiClient): PoolsApi {
  return {
    get: (lab, signal) => c.get<PoolStatus>(`/api/labs/${encodeURIComponent(lab)}/pool`, signal),
    set: (lab, size) => c.request<PoolStatus>(`/api/labs/${encodeURIComponent(lab)}/pool`, { method: "PUT", body: { size } }),
  };
}

export const poolsApi: PoolsApi = createPoolsApi(client);

/** "2 of 3 ready", "1 of 2 ready, 1 starting", "off". */
export function poolSummary(p: PoolStatus): string {
  if (p.size === 0 && p.ready === 0 && p.starting === 0) return "off";
  const starting = p.starting > 0 ? `, ${p.starting} starting` : "";
  return `${p.ready} of ${p.size} ready${starting}`;
}

/** The size typed into the editor: a whole number from 0 to 100, or an explanation of what is wrong. */
export function parsePoolSize(text: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `Enter a whole number from 0 to ${POOL_MAX}.`;
  const n = Number(t);
  return n <= POOL_MAX ? n : `Enter a whole number from 0 to ${POOL_MAX}.`;
}
