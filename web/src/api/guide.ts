import { ApiError, type ApiClient } from "./client";
import { client } from "./index";

/** Done/total counts of steps, for one page or the whole guide. */
export interface Progress {
  done: number;
  total: number;
}

/** What the server recorded about one step of a session's guide. */
export interface StepProgress {
  done: boolean;
  completedAt?: string;
  /** "check" or "manual"; the server may send either casing. */
  method?: string;
  checkAttempts: number;
  lastCheckedAt?: string;
  lastCheckPassed?: boolean;
  lastFeedback?: string[];
}

export interface GuideStep {
  id: string;
  title: string;
  hasCheck: boolean;
  hints: string[];
  progress: StepProgress;
}

export interface GuidePage {
  id: string;
  title: string;
  /** Sanitised HTML with step placeholders and code blocks (see docs/rest-api-guides.md). */
  html: string;
  progress: Progress;
  steps: GuideStep[];
}

export interface Guide {
  title: string;
  progress: Progress;
  pages: GuidePage[];
}

export interface CheckResult {
  passed: boolean;
  feedback: string[];
  step: StepProgress;
  progress: Progress;
}

export interface StepProgressResult {
  step: StepProgress;
  progress: Progress;
}

export interface GuideApi {
  /** The session's guide with its progress, or null when the lab has no guide. */
  guide(sessionId: string, signal?: AbortSignal): Promise<Guide | null>;
  /** Runs a step's check in its node. */
  check(sessionId: string, stepId: string): Promise<CheckResult>;
  /** Ticks or unticks a step that has no check. */
  setDone(sessionId: string, stepId: string, done: boolean): Promise<StepProgressResult>;
}

const enc = encodeURIComponent;

export function createGuideApi(c: ApiClient): GuideApi {
  const base = (sessionId: string) => `/api/sessions/${enc(sessionId)}/guide`;
  return {
    async guide(sessionId, signal) {
      try {
        return await c.get<Guide>(base(sessionId), signal);
      } catch (err) {
        // A lab without a guide is a normal state, not an error to show.
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    check: (sessionId, stepId) => c.post<CheckResult>(`${base(sessionId)}/steps/${enc(stepId)}/check`),
    setDone: (sessionId, stepId, done) =>
      c.request<StepProgressResult>(`${base(sessionId)}/steps/${enc(stepId)}/progress`, { method: "PUT", body: { done } }),
  };
}

export const guideApi: GuideApi = createGuideApi(client);
