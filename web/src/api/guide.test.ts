import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError } from "./client";
import { createGuideApi } from "./guide";

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: Array<{ status: number; body?: unknown }>) {
  const calls: Call[] = [];
  const impl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), {
      status: next.status,
      headers: { "Content-Type": next.status >= 400 ? "application/problem+json" : "application/json" },
    });
  });
  return { calls, impl: impl as unknown as typeof fetch };
}

function api(responses: Array<{ status: number; body?: unknown }>) {
  const { calls, impl } = fakeFetch(responses);
  const client = new ApiClient({ fetch: impl });
  client.setCsrf("tok");
  return { calls, guide: createGuideApi(client) };
}

const progress = { done: 1, total: 2 };
const step = { done: true, method: "check", completedAt: "2026-01-01T10:00:00Z", checkAttempts: 1, lastCheckPassed: true, lastFeedback: [] };

describe("guide API", () => {
  it("loads a session's guide", async () => {
    const body = { title: "Hello", progress, pages: [] };
    const { calls, guide } = api([{ status: 200, body }]);
    expect(await guide.guide("s 1")).toEqual(body);
    expect(calls[0].url).toBe("/api/sessions/s%201/guide");
    expect(calls[0].init.method).toBe("GET");
  });

  it("answers null when the lab has no guide", async () => {
    const { guide } = api([{ status: 404, body: { title: "Not Found", status: 404, detail: "This lab has no guide." } }]);
    expect(await guide.guide("s1")).toBeNull();
  });

  it("reports other failures readably", async () => {
    const { guide } = api([{ status: 403, body: { title: "Forbidden", status: 403 } }]);
    const err = await guide.guide("s1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect((err as ApiError).message).toBe("You are not allowed to do this.");
  });

  it("runs a check with a POST without a body", async () => {
    const body = { passed: false, feedback: ["no folder yet"], step: { done: false, checkAttempts: 1, lastCheckPassed: false, lastFeedback: ["no folder yet"] }, progress };
    const { calls, guide } = api([{ status: 200, body }]);
    expect(await guide.check("s1", "make/folder")).toEqual(body);
    expect(calls[0].url).toBe("/api/sessions/s1/guide/steps/make%2Ffolder/check");
    expect(calls[0].init.method).toBe("POST");
    expect(calls[0].init.body).toBeUndefined();
    expect((calls[0].init.headers as Record<string, string>)["X-CSRF-Token"]).toBe("tok");
  });

  it("ticks a step by hand with a PUT", async () => {
    const { calls, guide } = api([{ status: 200, body: { step, progress } }]);
    expect(await guide.setDone("s1", "read", true)).toEqual({ step, progress });
    expect(calls[0].url).toBe("/api/sessions/s1/guide/steps/read/progress");
    expect(calls[0].init.method).toBe("PUT");
    expect(calls[0].init.body).toBe('{"done":true}');
  });

  it("passes on a conflict, e.g. a session that is not running", async () => {
    const { guide } = api([{ status: 409, body: { title: "Conflict", status: 409, detail: "The session is not running." } }]);
    const err = (await guide.check("s1", "a").catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(409);
    expect(err.message).toBe("The session is not running.");
  });
});
