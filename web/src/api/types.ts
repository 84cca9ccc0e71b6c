export type Role = "learner" | "instructor" | "admin";

export interface User {
  id: string;
  displayName?: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface LoginResult {
  user: User;
  csrfToken: string;
  csrfHeader?: string;
}

export interface LabSummary {
  name: string;
  title?: string;
  description?: string;
  tags?: string[];
  published: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface NodeAccess {
  terminal: boolean;
  desktop: boolean;
  http: { name: string; port: number }[];
}

export interface LabNode {
  name: string;
  kind?: string;
  image?: string;
  access?: NodeAccess;
  networks?: string[];
}

export interface LabDetails extends LabSummary {
  nodes: LabNode[];
  networks?: string[];
  limits?: { durationSeconds?: number; idleTimeoutSeconds?: number };
  hasGuide?: boolean;
}

export type SessionState = "Pending" | "Starting" | "Running" | "Stopping" | "Stopped" | "Failed" | "Paused";
export type NodeState = "Pending" | "Creating" | "Starting" | "Running" | "Stopped" | "Failed" | "Missing";

export interface SessionNode {
  name: string;
  state: NodeState;
  /** A plain sentence anyone may read. */
  message?: string;
  /** The engine's own text: sent to instructors and admins only. */
  detail?: string;
}

export interface Credential {
  node: string;
  name: string;
  username?: string;
  password?: string;
}

export interface Session {
  id: string;
  lab: string;
  userId: string;
  engine?: string;
  state: SessionState;
  /** A plain sentence for everyone. */
  failureReason?: string;
  /** The engine's detail and the fix: only sent to instructors and admins. */
  failureDetail?: string;
  createdAt: string;
  startedAt?: string;
  expiresAt?: string;
  timeLeftSeconds?: number;
  nodes: SessionNode[];
  credentials?: Credential[];
  /** Why it stopped, and a sentence saying so for the learner. */
  stopReason?: StopReason | StopReasonDetails;
  stoppedBy?: string;
  stopMessage?: string;
  pausedAt?: string;
  /** When a paused session will be stopped. */
  pausedUntil?: string;
  extensions?: number;
  maxExtensions?: number;
  extendBySeconds?: number;
  idleTimeoutSeconds?: number;
}

/** The newer shape of stopReason: who stopped the session and why, in words. */
export interface StopReasonDetails {
  by?: string;
  reason?: string;
}

export type StopReason = "Learner" | "Instructor" | "Admin" | "TimeLimit" | "Idle" | "PausedTooLong";

/** A `warning` event of a session's event stream: the session stops at endsAt unless the learner acts. */
export interface SessionWarning {
  kind: "timeLimit" | "idle" | "pausedTooLong";
  endsAt: string;
  secondsLeft: number;
  message: string;
  cancelled: boolean;
}

/** A short-lived access token for a session's gateway URLs (POST /api/sessions/{id}/access). */
export interface AccessTokenResult {
  token: string;
  expiresAt: string;
  watch: boolean;
  nodes: Record<string, { terminal?: string; ports?: Record<string, string> }>;
}

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  diagnostics?: { text?: string; message?: string }[];
  [key: string]: unknown;
}

/** A session saved to continue later (`/api/saved-sessions`). */
export interface SavedSession {
  id: string;
  lab: string;
  userId: string;
  sessionId: string;
  createdAt: string;
  nodes: string[];
  stepsDone: number;
}

/** Body of `POST /api/sessions/{id}/reset`: no node resets every node. */
export interface ResetRequest {
  node?: string;
  progress: "keep" | "clear";
}
