import { ApiClient } from "./client";
import type { AccessTokenResult, LabDetails, LabSummary, LoginResult, ResetRequest, SavedSession, Session, User } from "./types";

export const client = new ApiClient();

const enc = encodeURIComponent;

export const api = {
  async login(userId: string, password: string): Promise<User> {
    const result = await client.request<LoginResult>("/api/auth/login", {
      method: "POST",
      body: { userId, password },
      quiet401: true,
    });
    client.setCsrf(result.csrfToken, result.csrfHeader);
    return result.user;
  },
  async logout(): Promise<void> {
    try {
      await client.request<void>("/api/auth/logout", { method: "POST", quiet401: true });
    } finally {
      client.setCsrf(undefined);
    }
  },
  me: (signal?: AbortSignal) => client.request<User>("/api/auth/me", { signal, quiet401: true }),
  labs: (signal?: AbortSignal) => client.get<LabSummary[]>("/api/labs", signal),
  lab: (name: string, signal?: AbortSignal) => client.get<LabDetails>(`/api/labs/${enc(name)}`, signal),
  sessions: (signal?: AbortSignal) => client.get<Session[]>("/api/sessions", signal),
  session: (id: string, signal?: AbortSignal) => client.get<Session>(`/api/sessions/${enc(id)}`, signal),
  startSession: (lab: string) => client.post<Session>("/api/sessions", { lab }),
  stopSession: (id: string) => client.post<Session>(`/api/sessions/${enc(id)}/stop`),
  pauseSession: (id: string) => client.post<Session>(`/api/sessions/${enc(id)}/pause`),
  resumeSession: (id: string) => client.post<Session>(`/api/sessions/${enc(id)}/resume`),
  extendSession: (id: string) => client.post<Session>(`/api/sessions/${enc(id)}/extend`),
  /** Answers the idle warning ("Still there?"): counts as activity when the owner calls it. */
  stillHere: (id: string) => client.post<void>(`/api/sessions/${enc(id)}/activity`),
  resetSession: (id: string, request: ResetRequest) => client.post<Session>(`/api/sessions/${enc(id)}/reset`, request),
  saveSession: (id: string) => client.post<SavedSession>(`/api/sessions/${enc(id)}/save`),
  savedSessions: (signal?: AbortSignal) => client.get<SavedSession[]>("/api/saved-sessions", signal),
  continueSaved: (id: string) => client.post<Session>(`/api/saved-sessions/${enc(id)}/continue`),
  deleteSaved: (id: string) => client.request<void>(`/api/saved-sessions/${enc(id)}`, { method: "DELETE" }),
  /** Gateway URLs with a fresh access token, e.g. a node's web ports on their own origin. */
  access: (id: string, request: { nodes?: string[]; kinds?: string[]; lifetimeSeconds?: number }) =>
    client.post<AccessTokenResult>(`/api/sessions/${enc(id)}/access`, request),
};

export { ApiError, problemMessage } from "./client";
