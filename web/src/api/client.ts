import { reportServer, statusFromResponse } from "../lib/serverStatus";
import type { Problem } from "./types";

/** An error with a message fit to show to a person (never raw JSON). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem?: Problem;
  readonly fieldErrors: Record<string, string[]>;
  readonly retryAfterSeconds?: number;

  constructor(message: string, status: number, problem?: Problem, retryAfterSeconds?: number) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.fieldErrors = problem?.errors && typeof problem.errors === "object" ? problem.errors : {};
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "The request was not accepted.",
  401: "You are not signed in, or your sign-in has expired.",
  403: "You are not allowed to do this.",
  404: "This could not be found.",
  409: "This conflicts with the current state. Reload and try again.",
  413: "The upload is too large.",
  415: "The server did not accept this kind of content.",
  422: "The content is not valid.",
  429: "Too many requests. Wait a moment and try again.",
  500: "Something went wrong on the server. Try again in a moment.",
  502: "The server could not reach a machine. Try again in a moment.",
  503: "The server is not available right now. Try again in a moment.",
  504: "The server took too long to answer. Try again in a moment.",
};

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function clean(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * Turns a problem (or whatever came back) into one readable sentence or a few lines.
 * Prefers `detail`, then the field errors, then `title`, then a text for the status.
 */
export function problemMessage(status: number, problem?: unknown, retryAfterSeconds?: number): string {
  const p = isProblem(problem) ? problem : undefined;
  const parts: string[] = [];
  const detail = clean(p?.detail);
  if (detail) parts.push(detail);
  if (p?.errors && typeof p.errors === "object") {
    for (const messages of Object.values(p.errors)) {
      const list = Array.isArray(messages) ? messages : [messages];
      for (const m of list) {
        const text = clean(m);
        if (text && !parts.includes(text)) parts.push(text);
      }
    }
  }
  if (Array.isArray(p?.diagnostics)) {
    for (const d of p.diagnostics.slice(0, 5)) {
      const text = clean(d?.text) ?? clean(d?.message);
      if (text && !parts.includes(text)) parts.push(text);
    }
  }
  if (parts.length === 0) {
    const title = clean(p?.title);
    if (title && !/^(bad request|unauthorized|forbidden|not found|internal server error)$/i.test(title)) parts.push(title.endsWith(".") ? title : `${title}.`);
  }
  if (parts.length === 0) {
    parts.push(STATUS_TEXT[status] ?? (status >= 500 ? STATUS_TEXT[500] : `The request failed (${status}).`));
  }
  let message = parts.join("\n");
  if (status === 429 && retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    message += `\nTry again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
  }
  return message;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Called whenever the server answers 401 (sign-in lost). */
  onUnauthorized?: () => void;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call onUnauthorized on 401 (login itself). */
  quiet401?: boolean;
}

export class ApiClient {
  private csrfToken: string | undefined;
  private csrfHeader = "X-CSRF-Token";
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  onUnauthorized?: () => void;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthorized = options.onUnauthorized;
  }

  setCsrf(token: string | undefined, header?: string): void {
    this.csrfToken = token;
    if (header) this.csrfHeader = header;
  }

  get hasCsrf(): boolean {
    return this.csrfToken !== undefined;
  }

  private async ensureCsrf(signal?: AbortSignal): Promise<void> {
    if (this.csrfToken !== undefined) return;
    const answer = await this.send<{ csrfToken: string; csrfHeader?: string }>("/api/auth/csrf", { signal });
    this.setCsrf(answer.csrfToken, answer.csrfHeader);
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = (options.method ?? "GET").toUpperCase();
    if (UNSAFE.has(method) && path !== "/api/auth/login") {
      await this.ensureCsrf(options.signal);
    }
    return this.send<T>(path, options);
  }

  private async send<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = (options.method ?? "GET").toUpperCase();
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (UNSAFE.has(method) && this.csrfToken !== undefined) headers[this.csrfHeader] = this.csrfToken;

    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: "same-origin",
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      reportServer("away");
      throw new ApiError("Cannot reach the server. Check your connection and try again.", 0);
    }

    reportServer(statusFromResponse(response.status));
    const text = await response.text();
    let data: unknown = undefined;
    if (text.length > 0) {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }

    if (!response.ok) {
      const retry = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
      const retryAfter = Number.isFinite(retry) ? retry : undefined;
      if (response.status === 401 && !options.quiet401) this.onUnauthorized?.();
      throw new ApiError(problemMessage(response.status, data, retryAfter), response.status, isProblem(data) ? data : undefined, retryAfter);
    }
    return data as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>(path, { signal });
  }

  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>(path, { method: "POST", body, signal });
  }
}
