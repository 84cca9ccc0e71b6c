import { describe, expect, it, vi } from "vitest";
import {
  auditActionLabel,
  auditDetails,
  createAdminApi,
  diagnosticLocation,
  fieldError,
  labFileKind,
  otherErrors,
  problemItems,
  queryString,
} from "./admin";
import { ApiClient, ApiError } from "./client";

type Call = { url: string; init: RequestInit };
type Answer = { status: number; body?: unknown };

function fakeFetch(responses: Answer[]) {
  const calls: Call[] = [];
  const impl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    const text = next.body === undefined ? "" : JSON.stringify(next.body);
    return new Response(next.status === 204 ? null : text, {
      status: next.status,
      headers: { "Content-Type": next.status >= 400 ? "application/problem+json" : "application/json" },
    });
  });
  return { calls, impl: impl as unknown as typeof fetch };
}

function setup(responses: Answer[]) {
  const fake = fakeFetch(responses);
  const c = new ApiClient({ fetch: fake.impl });
  c.setCsrf("tok");
  return { ...fake, client: c, api: createAdminApi(c, fake.impl) };
}

const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );

describe("admin API: labs", () => {
  it("lists, publishes, unpublishes and deletes labs with the right paths and methods", async () => {
    const { calls, api } = setup([{ status: 200, body: [] }, { status: 200, body: {} }, { status: 200, body: {} }, { status: 204 }]);
    await api.labs();
    await api.publishLab("two hosts");
    await api.unpublishLab("demo");
    await api.deleteLab("demo");
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "GET /api/labs",
      "POST /api/labs/two%20hosts/publish",
      "POST /api/labs/demo/unpublish",
      "DELETE /api/labs/demo",
    ]);
    for (const c of calls.slice(1)) expect(header(c, "X-CSRF-Token")).toBe("tok");
  });

  it("uploads a YAML file as the body with a fresh anti-forgery token", async () => {
    const { calls, api, client } = setup([
      { status: 200, body: { csrfToken: "fresh", csrfHeader: "X-CSRF-Token" } },
      { status: 201, body: { name: "demo", published: false, nodes: [] } },
    ]);
    const file = new File(["name: demo\n"], "lab.yaml", { type: "" });
    const lab = await api.uploadLab(file);
    expect(lab.name).toBe("demo");
    expect(calls[0].url).toBe("/api/auth/csrf");
    expect(calls[1].url).toBe("/api/labs");
    expect(calls[1].init.method).toBe("POST");
    expect(header(calls[1], "Content-Type")).toBe("application/yaml");
    expect(header(calls[1], "X-CSRF-Token")).toBe("fresh");
    expect(calls[1].init.body).toBe(file);
    expect(calls[1].init.credentials).toBe("same-origin");
    expect(client.hasCsrf).toBe(true);
  });

  it("uploads an archive as multipart field 'archive' and lets the browser set the content type", async () => {
    const { calls, api } = setup([{ status: 200, body: { csrfToken: "fresh" } }, { status: 200, body: { name: "two-hosts" } }]);
    const file = new File([new Uint8Array([0x1f, 0x8b])], "two-hosts.tar.gz");
    await api.uploadLab(file);
    expect(header(calls[1], "Content-Type")).toBeUndefined();
    const body = calls[1].init.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect((body.get("archive") as File).name).toBe("two-hosts.tar.gz");
  });

  it("refuses a file that is neither YAML nor an archive without calling the server", async () => {
    const { calls, api } = setup([]);
    const err = await failure(api.uploadLab(new File(["x"], "notes.txt")));
    expect((err as Error).message).toMatch(/lab\.yaml/);
    expect(calls).toHaveLength(0);
  });

  it("turns a 422 into an ApiError carrying the diagnostics", async () => {
    const { api } = setup([
      { status: 200, body: { csrfToken: "t" } },
      {
        status: 422,
        body: {
          title: "The lab is not valid",
          status: 422,
          detail: "The lab has 1 problem(s); nothing was stored.",
          diagnostics: [{ file: "demo/lab.yaml", line: 5, column: 7, path: "nodes[0]", message: "image is required", text: "demo/lab.yaml:5:7: error: nodes[0]: image is required" }],
        },
      },
    ]);
    const err = (await failure(api.uploadLab(new File(["x"], "lab.yml")))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    const { summary, items } = problemItems(err);
    expect(summary).toBe("The lab has 1 problem(s); nothing was stored.");
    expect(items).toEqual([{ where: "demo/lab.yaml:5:7", message: "nodes[0]: image is required" }]);
  });

  it("reports a lost sign-in during an upload", async () => {
    const { api, client } = setup([{ status: 200, body: { csrfToken: "t" } }, { status: 401, body: { title: "Unauthorized", status: 401 } }]);
    const lost = vi.fn();
    client.onUnauthorized = lost;
    const err = (await failure(api.uploadLab(new File(["x"], "a.zip")))) as ApiError;
    expect(err.status).toBe(401);
    expect(lost).toHaveBeenCalledOnce();
  });
});

describe("admin API: users", () => {
  it("creates, changes, resets and deletes users", async () => {
    const { calls, api } = setup([{ status: 200, body: [] }, { status: 201, body: {} }, { status: 200, body: {} }, { status: 204 }, { status: 204 }]);
    await api.users();
    await api.createUser({ id: "lea", displayName: "Lea", password: "password1", role: "learner" });
    await api.updateUser("lea", { role: "instructor", disabled: true });
    await api.resetPassword("lea", "another-pass");
    await api.deleteUser("lea");
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "GET /api/users",
      "POST /api/users",
      "PATCH /api/users/lea",
      "POST /api/users/lea/password",
      "DELETE /api/users/lea",
    ]);
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ id: "lea", displayName: "Lea", password: "password1", role: "learner" });
    expect(JSON.parse(String(calls[2].init.body))).toEqual({ role: "instructor", disabled: true });
    expect(JSON.parse(String(calls[3].init.body))).toEqual({ password: "another-pass" });
  });

  it("keeps field errors for the form", async () => {
    const { api } = setup([{ status: 409, body: { status: 409, title: "Conflict", detail: "A user 'lea' already exists.", errors: { id: ["A user 'lea' already exists."] } } }]);
    const err = await failure(api.createUser({ id: "lea", password: "password1", role: "learner" }));
    expect(fieldError(err, "id")).toBe("A user 'lea' already exists.");
    expect(fieldError(err, "password")).toBeUndefined();
    expect(otherErrors(err, ["id", "password"])).toBeUndefined();
    expect(otherErrors(err, ["password"])).toBe("A user 'lea' already exists.");
  });
});

describe("admin API: sessions and audit", () => {
  it("filters sessions and stops one", async () => {
    const { calls, api } = setup([{ status: 200, body: [] }, { status: 200, body: [] }, { status: 200, body: { state: "Stopped" } }]);
    await api.sessions();
    await api.sessions({ state: "Running", lab: "two-hosts", user: "lea" });
    await api.stopSession("s 1");
    expect(calls[0].url).toBe("/api/sessions");
    const q = new URL(calls[1].url, "http://x").searchParams;
    expect(q.get("state")).toBe("Running");
    expect(q.get("lab")).toBe("two-hosts");
    expect(q.get("user")).toBe("lea");
    expect(q.get("userId")).toBe("lea");
    expect(`${calls[2].init.method} ${calls[2].url}`).toBe("POST /api/sessions/s%201/stop");
  });

  it("asks the audit log with filters and a limit", async () => {
    const { calls, api } = setup([{ status: 200, body: [] }, { status: 200, body: [] }]);
    await api.audit();
    await api.audit({ user: "lea", action: "user.logged-in", limit: 200 });
    expect(calls[0].url).toBe("/api/audit");
    expect(calls[1].url).toBe("/api/audit?user=lea&action=user.logged-in&limit=200");
  });
});

describe("helpers", () => {
  it("builds query strings from non-empty values", () => {
    expect(queryString({})).toBe("");
    expect(queryString({ a: "", b: undefined, c: null, d: " x ", e: 5 })).toBe("?d=x&e=5");
  });

  it("knows lab files by name", () => {
    expect(labFileKind("lab.yaml")).toBe("yaml");
    expect(labFileKind("LAB.YML")).toBe("yaml");
    expect(labFileKind("two-hosts.tar.gz")).toBe("archive");
    expect(labFileKind("two-hosts.tgz")).toBe("archive");
    expect(labFileKind("two-hosts.zip")).toBe("archive");
    expect(labFileKind("notes.txt")).toBeUndefined();
  });

  it("places diagnostics by file, line and column", () => {
    expect(diagnosticLocation({ file: "a/lab.yaml", line: 3, column: 9 })).toBe("a/lab.yaml:3:9");
    expect(diagnosticLocation({ file: "a/lab.yaml", line: 3 })).toBe("a/lab.yaml:3");
    expect(diagnosticLocation({ file: "a/lab.yaml" })).toBe("a/lab.yaml");
    expect(diagnosticLocation({ message: "x" })).toBeUndefined();
  });

  it("keeps each diagnostic's hint", () => {
    const err = new ApiError("x", 422, {
      status: 422,
      detail: "The lab has 1 problem(s); nothing was stored.",
      diagnostics: [{ file: "lab.yaml", line: 4, column: 5, path: "nodes[0]", message: "unknown field 'imge'", hint: "did you mean 'image'?", text: "lab.yaml:4:5: nodes[0]: unknown field 'imge' (did you mean 'image'?)" }],
    } as never);
    expect(problemItems(err).items).toEqual([{ where: "lab.yaml:4:5", message: "nodes[0]: unknown field 'imge'", hint: "did you mean 'image'?" }]);
  });

  it("lists field errors of a refused upload and falls back to the message", () => {
    const archive = new ApiError("x", 400, { status: 400, title: "Bad request", detail: "The archive holds no lab.yaml.", errors: { archive: ["The archive holds no lab.yaml."] } });
    expect(problemItems(archive)).toEqual({ summary: "The archive holds no lab.yaml.", items: [] });
    const fields = new ApiError("x", 400, { status: 400, title: "Invalid request", errors: { id: ["Bad id."], password: ["Too short."] } });
    expect(problemItems(fields)).toEqual({
      summary: "The request was not accepted.",
      items: [
        { where: "id", message: "Bad id." },
        { where: "password", message: "Too short." },
      ],
    });
    const plain = new ApiError("The upload is too large.", 413);
    expect(problemItems(plain)).toEqual({ summary: "The upload is too large.", items: [] });
    expect(problemItems(new Error("boom")).summary).toBe("boom");
  });

  it("names audit actions and details readably", () => {
    expect(auditActionLabel("user.logged-in")).toBe("Signed in");
    expect(auditActionLabel("console.watched")).toBe("Terminal watched");
    expect(auditActionLabel("lab.deleted")).toBe("Lab deleted");
    expect(auditDetails("role=admin disabled=false")).toEqual([
      { key: "role", value: "admin" },
      { key: "disabled", value: "false" },
    ]);
    expect(auditDetails("kinds=terminal,desktop; watch=true")).toEqual([
      { key: "kinds", value: "terminal,desktop" },
      { key: "watch", value: "true" },
    ]);
    expect(auditDetails("lab two-hosts")).toEqual([{ value: "lab two-hosts" }]);
    expect(auditDetails(undefined)).toEqual([]);
  });
});
