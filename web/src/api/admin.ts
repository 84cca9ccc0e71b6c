import { ApiError, problemMessage, type ApiClient } from "./client";
import type { Progress } from "./guide";
import { client } from "./index";
import type { LabDetails, LabSummary, Role, Session, SessionState, User } from "./types";

/** A session as instructors and admins see it in lists: with its owner's name and the guide progress. */
export interface AdminSession extends Session {
  userDisplayName?: string;
  stoppedAt?: string;
  /** Done and total guide steps; absent (or null) when the lab has no guide. */
  progress?: Progress | null;
  /** True while the session waits in a warm pool (owned by the pool, not a learner). */
  pooled?: boolean;
  /** When a learner claimed it from a warm pool. */
  claimedAt?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId?: string;
  action: string;
  sessionId?: string;
  target?: string;
  remoteAddress?: string;
  details?: string;
}

/** One problem in a lab file, as a 422 lists them. */
export interface LabDiagnostic {
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  message?: string;
  /** What the author probably meant ("did you mean 'image'?"). */
  hint?: string;
  text?: string;
}

export interface NewUser {
  id: string;
  displayName?: string;
  password: string;
  role: Role;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
}

export interface SessionFilter {
  state?: SessionState;
  lab?: string;
  user?: string;
}

export interface AuditFilter {
  user?: string;
  action?: string;
  session?: string;
  limit?: number;
}

export const AUDIT_PAGE = 100;
export const AUDIT_MAX = 1000;

export interface AdminApi {
  labs(signal?: AbortSignal): Promise<LabSummary[]>;
  /** Creates or replaces a lab from a lab.yaml or a .tar.gz/.zip archive. */
  uploadLab(file: File, signal?: AbortSignal): Promise<LabDetails>;
  publishLab(name: string): Promise<LabDetails>;
  unpublishLab(name: string): Promise<LabDetails>;
  deleteLab(name: string): Promise<void>;
  users(signal?: AbortSignal): Promise<User[]>;
  createUser(user: NewUser): Promise<User>;
  updateUser(id: string, changes: UserChanges): Promise<User>;
  resetPassword(id: string, password: string): Promise<void>;
  deleteUser(id: string): Promise<void>;
  sessions(filter?: SessionFilter, signal?: AbortSignal): Promise<AdminSession[]>;
  stopSession(id: string): Promise<AdminSession>;
  audit(filter?: AuditFilter, signal?: AbortSignal): Promise<AuditEntry[]>;
}

const enc = encodeURIComponent;

/** "?a=1&b=2" from the non-empty values, "" when there are none. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = String(value).trim();
    if (text.length > 0) q.set(key, text);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export type LabFileKind = "yaml" | "archive";

/** What a chosen file is by its name; the server recognises archives by content, this only picks the request. */
export function labFileKind(fileName: string): LabFileKind | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  if (name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".zip")) return "archive";
  return undefined;
}

export const LAB_FILE_ACCEPT = ".yaml,.yml,.tar.gz,.tgz,.zip";

export function createAdminApi(c: ApiClient, fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init)): AdminApi {
  async function uploadLab(file: File, signal?: AbortSignal): Promise<LabDetails> {
    const kind = labFileKind(file.name);
    if (!kind) throw new Error("Choose a lab.yaml file or a .tar.gz, .tgz or .zip archive.");
    // The shared client only sends JSON; ask for a fresh anti-forgery token (the server keeps earlier ones valid)
    // and keep the client in step with it.
    const csrf = await c.get<{ csrfToken: string; csrfHeader?: string }>("/api/auth/csrf", signal);
    c.setCsrf(csrf.csrfToken, csrf.csrfHeader);
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json", [csrf.csrfHeader ?? "X-CSRF-Token"]: csrf.csrfToken };
    let body: BodyInit;
    if (kind === "yaml") {
      headers["Content-Type"] = "application/yaml";
      body = file;
    } else {
      const form = new FormData();
      form.append("archive", file, file.name);
      body = form; // the browser sets multipart/form-data with its boundary
    }
    let response: Response;
    try {
      response = await fetchImpl("/api/labs", { method: "POST", headers, body, credentials: "same-origin", signal });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new ApiError("Cannot reach the server. Check your connection and try again.", 0);
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!response.ok) {
      if (response.status === 401) c.onUnauthorized?.();
      const problem = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as ApiError["problem"]) : undefined;
      throw new ApiError(problemMessage(response.status, data), response.status, problem);
    }
    return data as LabDetails;
  }

  return {
    labs: (signal) => c.get<LabSummary[]>("/api/labs", signal),
    uploadLab,
    publishLab: (name) => c.post<LabDetails>(`/api/labs/${enc(name)}/publish`),
    unpublishLab: (name) => c.post<LabDetails>(`/api/labs/${enc(name)}/unpublish`),
    deleteLab: (name) => c.request<void>(`/api/labs/${enc(name)}`, { method: "DELETE" }),
    users: (signal) => c.get<User[]>("/api/users", signal),
    createUser: (user) => c.post<User>("/api/users", user),
    updateUser: (id, changes) => c.request<User>(`/api/users/${enc(id)}`, { method: "PATCH", body: changes }),
    resetPassword: (id, password) => c.post<void>(`/api/users/${enc(id)}/password`, { password }),
    deleteUser: (id) => c.request<void>(`/api/users/${enc(id)}`, { method: "DELETE" }),
    // The server reads the user filter as `userId` while the docs say `user`; send both so either works.
    sessions: (filter = {}, signal) =>
      c.get<AdminSession[]>(`/api/sessions${queryString({ state: filter.state, lab: filter.lab, user: filter.user, userId: filter.user })}`, signal),
    stopSession: (id) => c.post<AdminSession>(`/api/sessions/${enc(id)}/stop`),
    audit: (filter = {}, signal) =>
      c.get<AuditEntry[]>(`/api/audit${queryString({ user: filter.user, session: filter.session, action: filter.action, limit: filter.limit })}`, signal),
  };
}

export const adminApi: AdminApi = createAdminApi(client);

/** "demo/lab.yaml:5:7", "lab.yaml:5", "lab.yaml", or undefined. */
export function diagnosticLocation(d: LabDiagnostic): string | undefined {
  if (!d.file) return undefined;
  let at = d.file;
  if (typeof d.line === "number" && d.line > 0) {
    at += `:${d.line}`;
    if (typeof d.column === "number" && d.column > 0) at += `:${d.column}`;
  }
  return at;
}

export interface ProblemItem {
  /** Where, e.g. "two-hosts/lab.yaml:12:5" or a field name; absent when the problem has no place. */
  where?: string;
  message: string;
  /** The server's suggestion, e.g. "did you mean 'image'?". */
  hint?: string;
}

/** A refused request as a short summary plus the individual problems (lab diagnostics or field errors), never JSON. */
export function problemItems(err: unknown): { summary: string; items: ProblemItem[] } {
  if (!(err instanceof ApiError)) {
    return { summary: err instanceof Error && err.message ? err.message : "Something went wrong.", items: [] };
  }
  const items: ProblemItem[] = [];
  const diagnostics = err.problem?.diagnostics;
  if (Array.isArray(diagnostics)) {
    for (const raw of diagnostics as LabDiagnostic[]) {
      if (typeof raw !== "object" || raw === null) continue;
      const where = diagnosticLocation(raw);
      const path = typeof raw.path === "string" && raw.path ? raw.path : undefined;
      const message = typeof raw.message === "string" && raw.message.trim() ? raw.message.trim() : typeof raw.text === "string" ? raw.text.trim() : "";
      if (!message) continue;
      const hint = typeof raw.hint === "string" && raw.hint.trim() && !message.includes(raw.hint.trim()) ? raw.hint.trim() : undefined;
      items.push({ where, message: path && where && !message.startsWith(path) ? `${path}: ${message}` : message, ...(hint ? { hint } : {}) });
    }
  }
  for (const [field, messages] of Object.entries(err.fieldErrors)) {
    for (const m of Array.isArray(messages) ? messages : [messages]) {
      if (typeof m === "string" && m.trim() && !items.some((i) => i.message === m.trim())) items.push({ where: field || undefined, message: m.trim() });
    }
  }
  const detail = typeof err.problem?.detail === "string" ? err.problem.detail.trim() : "";
  if (detail) return { summary: detail, items: items.filter((i) => i.message !== detail) };
  const title = typeof err.problem?.title === "string" ? err.problem.title.trim() : "";
  const generic = /^(bad request|invalid request|unprocessable entity|conflict)$/i;
  let summary: string;
  if (items.length === 0) summary = err.message;
  else if (title && !generic.test(title)) summary = title.endsWith(".") ? title : `${title}.`;
  else summary = "The request was not accepted.";
  return { summary, items };
}

/** The server's message for one field (keys compared without case), if any. */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const key = Object.keys(err.fieldErrors).find((k) => k.toLowerCase() === field.toLowerCase());
  const messages = key === undefined ? undefined : err.fieldErrors[key];
  const list = Array.isArray(messages) ? messages : messages ? [messages] : [];
  return list.find((m) => typeof m === "string" && m.trim())?.trim();
}

/** Messages of a refused request that no form field shows. */
export function otherErrors(err: unknown, fields: string[]): string | undefined {
  if (!err) return undefined;
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : "Something went wrong.";
  const known = new Set(fields.map((f) => f.toLowerCase()));
  const shownByFields = Object.keys(err.fieldErrors).filter((k) => known.has(k.toLowerCase()));
  if (shownByFields.length === 0) return err.message;
  const rest = Object.entries(err.fieldErrors)
    .filter(([k]) => !known.has(k.toLowerCase()))
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
    .filter((m): m is string => typeof m === "string" && m.trim().length > 0);
  return rest.length > 0 ? rest.join("\n") : undefined;
}

const AUDIT_ACTIONS: Record<string, string> = {
  "user.logged-in": "Signed in",
  "user.login-failed": "Sign-in failed",
  "user.logged-out": "Signed out",
  "user.created": "User created",
  "user.updated": "User changed",
  "user.deleted": "User deleted",
  "user.password-reset": "Password reset",
  "user.password-changed": "Password changed",
  "api-token.created": "API token created",
  "api-token.revoked": "API token revoked",
  "session.started": "Session started",
  "session.stopped": "Session stopped",
  "console.opened": "Terminal opened",
  "console.watched": "Terminal watched",
  "access-token.issued": "Access token issued",
};

export const KNOWN_AUDIT_ACTIONS = Object.keys(AUDIT_ACTIONS);

/** A readable name for an audit action: known ones by name, others from their code ("lab.deleted" → "Lab deleted"). */
export function auditActionLabel(action: string): string {
  const known = AUDIT_ACTIONS[action];
  if (known) return known;
  const words = action.replace(/[._-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : action;
}

/** Splits "role=admin disabled=false" or "kinds=terminal; watch=true" into pairs; free text stays one item without a key. */
export function auditDetails(details: string | undefined): { key?: string; value: string }[] {
  const text = details?.trim();
  if (!text) return [];
  const parts = text.split(/;\s*|\s+/).filter(Boolean);
  if (!parts.every((p) => /^[\w.-]+=/.test(p))) return [{ value: text }];
  return parts.map((part) => {
    const i = part.indexOf("=");
    return { key: part.slice(0, i), value: part.slice(i + 1) };
  });
}
