import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, problemMessage } from "./client";

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: Array<{ status: number; body?: unknown; headers?: Record<string, string>; raw?: string }>) {
  const calls: Call[] = [];
  const impl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    const text = next.raw ?? (next.body === undefined ? "" : JSON.stringify(next.body));
    return new Response(next.status === 204 ? null : text, {
      status: next.status,
      headers: { "Content-Type": next.status >= 400 ? "application/problem+json" : "application/json", ...next.headers },
    });
  });
  return { calls, impl: impl as unknown as typeof fetch };
}

const failure = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e as ApiError,
  );

const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe("ApiClient CSRF", () => {
  it("sends the token on POST, PUT, PATCH and DELETE but not on GET", async () => {
    const { calls, impl } = fakeFetch([
      { status: 200, body: [] },
      { status: 202, body: { id: "s1" } },
      { status: 200, body: {} },
      { status: 200, body: {} },
      { status: 204 },
    ]);
    const client = new ApiClient({ fetch: impl });
    client.setCsrf("tok-1");
    await client.get("/api/labs");
    await client.post("/api/sessions", { lab: "demo" });
    await client.request("/api/x", { method: "PUT", body: {} });
    await client.request("/api/me", { method: "patch", body: {} });
    await client.request("/api/me/tokens/1", { method: "DELETE" });
    expect(header(calls[0], "X-CSRF-Token")).toBeUndefined();
    for (const c of calls.slice(1)) expect(header(c, "X-CSRF-Token")).toBe("tok-1");
    expect(header(calls[1], "Content-Type")).toBe("application/json");
    expect(calls[1].init.body).toBe(JSON.stringify({ lab: "demo" }));
    expect(calls[1].init.credentials).toBe("same-origin");
  });

  it("fetches a token from /api/auth/csrf before the first state-changing call after a reload", async () => {
    const { calls, impl } = fakeFetch([
      { status: 200, body: { csrfToken: "fresh", csrfHeader: "X-CSRF-Token" } },
      { status: 200, body: { state: "Stopped" } },
      { status: 200, body: { state: "Stopped" } },
    ]);
    const client = new ApiClient({ fetch: impl });
    await client.post("/api/sessions/a/stop");
    await client.post("/api/sessions/b/stop");
    expect(calls.map((c) => c.url)).toEqual(["/api/auth/csrf", "/api/sessions/a/stop", "/api/sessions/b/stop"]);
    expect(calls[0].init.method).toBe("GET");
    expect(header(calls[1], "X-CSRF-Token")).toBe("fresh");
    expect(header(calls[2], "X-CSRF-Token")).toBe("fresh");
  });

  it("uses the header name the server names", async () => {
    const { calls, impl } = fakeFetch([{ status: 200, body: {} }]);
    const client = new ApiClient({ fetch: impl });
    client.setCsrf("t", "X-Other");
    await client.post("/api/a");
    expect(header(calls[0], "X-Other")).toBe("t");
  });

  it("logs in without asking for a token first", async () => {
    const { calls, impl } = fakeFetch([{ status: 200, body: { user: { id: "lea" }, csrfToken: "c" } }]);
    const client = new ApiClient({ fetch: impl });
    await client.request("/api/auth/login", { method: "POST", body: { userId: "lea", password: "pw" } });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe("/api/auth/login");
  });
});

describe("ApiClient errors", () => {
  it("turns a problem's detail into the error message", async () => {
    const { impl } = fakeFetch([
      { status: 429, body: { title: "Session limit reached", status: 429, detail: "You already have 2 of 2 concurrent sessions allowed (Quotas:PerUser)." } },
    ]);
    const client = new ApiClient({ fetch: impl });
    client.setCsrf("t");
    const err = await failure(client.post("/api/sessions", { lab: "x" }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.message).toBe("You already have 2 of 2 concurrent sessions allowed (Quotas:PerUser).");
    expect(err.message).not.toContain("{");
  });

  it("lists field errors and keeps them by field", async () => {
    const { impl } = fakeFetch([
      { status: 400, body: { title: "Invalid request", status: 400, errors: { lab: ["A lab name is required."] } } },
    ]);
    const client = new ApiClient({ fetch: impl });
    client.setCsrf("t");
    const err = await failure(client.post("/api/sessions", {}));
    expect(err.message).toBe("A lab name is required.");
    expect(err.fieldErrors).toEqual({ lab: ["A lab name is required."] });
  });

  it("adds Retry-After to 429 answers", async () => {
    const { impl } = fakeFetch([{ status: 429, body: { title: "Too many login attempts", status: 429 }, headers: { "Retry-After": "42" } }]);
    const client = new ApiClient({ fetch: impl });
    const err = await failure(client.request("/api/auth/login", { method: "POST", body: {} }));
    expect(err.retryAfterSeconds).toBe(42);
    expect(err.message).toBe("Too many login attempts.\nTry again in 42 seconds.");
  });

  it("never shows HTML or a stack trace from a broken answer", async () => {
    const { impl } = fakeFetch([{ status: 500, raw: "<html><body>System.NullReferenceException at Foo.Bar()</body></html>" }]);
    const client = new ApiClient({ fetch: impl });
    const err = await failure(client.get("/api/labs"));
    expect(err.message).toBe("Something went wrong on the server. Try again in a moment.");
  });

  it("reports a network failure readably", async () => {
    const client = new ApiClient({ fetch: (async () => { throw new TypeError("Failed to fetch"); }) as unknown as typeof fetch });
    const err = await failure(client.get("/api/labs"));
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/Cannot reach the server/);
  });

  it("calls onUnauthorized on 401 unless told to stay quiet", async () => {
    const onUnauthorized = vi.fn();
    const { impl } = fakeFetch([
      { status: 401, body: { title: "Unauthorized", status: 401 } },
      { status: 401, body: { title: "Unauthorized", status: 401 } },
    ]);
    const client = new ApiClient({ fetch: impl, onUnauthorized });
    const err = await failure(client.get("/api/labs"));
    expect(err.message).toBe("You are not signed in, or your sign-in has expired.");
    await client.request("/api/auth/me", { quiet401: true }).catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("parses successful JSON and empty 204 answers", async () => {
    const { impl } = fakeFetch([{ status: 200, body: [{ name: "demo" }] }, { status: 204 }]);
    const client = new ApiClient({ fetch: impl });
    client.setCsrf("t");
    expect(await client.get("/api/labs")).toEqual([{ name: "demo" }]);
    expect(await client.post("/api/auth/logout")).toBeUndefined();
  });
});

describe("problemMessage", () => {
  it("prefers detail, then field errors, then title, then a status text", () => {
    expect(problemMessage(404, { title: "Not found", detail: "No lab 'x'." })).toBe("No lab 'x'.");
    expect(problemMessage(400, { title: "Invalid", errors: { a: ["A is bad."], b: ["B is bad."] } })).toBe("A is bad.\nB is bad.");
    expect(problemMessage(409, { title: "Session not running" })).toBe("Session not running.");
    expect(problemMessage(403, { title: "Forbidden" })).toBe("You are not allowed to do this.");
    expect(problemMessage(404)).toBe("This could not be found.");
    expect(problemMessage(418)).toBe("The request failed (418).");
  });

  it("does not repeat a detail that a field error also says", () => {
    const m = "'superuser' is not a role.";
    expect(problemMessage(400, { detail: m, errors: { role: [m] } })).toBe(m);
  });

  it("shows lab diagnostics lines", () => {
    const m = problemMessage(422, {
      title: "The lab is not valid",
      detail: "The lab has 1 problem(s); nothing was stored.",
      diagnostics: [{ text: "demo/lab.yaml:5:7: error: nodes[0]: image is required" }],
    });
    expect(m).toBe("The lab has 1 problem(s); nothing was stored.\ndemo/lab.yaml:5:7: error: nodes[0]: image is required");
  });

  it("ignores answers that are not objects", () => {
    expect(problemMessage(502, "bad gateway")).toBe("The server could not reach a machine. Try again in a moment.");
    expect(problemMessage(503, [1, 2])).toBe("The server is not available right now. Try again in a moment.");
  });
});
