// Starts a real Lab Orchestrator server for the browser tests: labctl serve on a free loopback port, a fresh SQLite
// database in a temporary folder, the example labs imported and published, users for every role.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
export const ADMIN_PASSWORD = "e2e-admin-password";
export const PASSWORD = "e2e-password-1";

/** Who the tests sign in as. */
export const users = {
  admin: { id: "admin", role: "admin" },
  learner: { id: "lea", role: "learner" },
  otherLearner: { id: "leo", role: "learner" },
  instructor: { id: "ian", role: "instructor" },
} as const;

/** A lab stored but never published: learners must not see it. */
export const DRAFT_LAB = "e2e-draft";
const DRAFT_YAML = `name: ${DRAFT_LAB}
title: Draft lab for the browser tests
description: Stored by the browser tests and never published.
nodes:
  - name: box
    image: localhost/lab-base:latest
`;

export interface RunningServer {
  baseUrl: string;
  folder: string;
  process: ChildProcess;
  labctl: string;
  database: string;
}

/** labctl as test.sh builds it (dotnet build, Debug), else as run.sh publishes it; LABCTL overrides both. */
export function findLabctl(): string {
  const candidates = [
    process.env.LABCTL,
    join(repo, "src/LabOrchestrator.Cli/bin/Debug/net10.0/labctl"),
    join(repo, ".artifacts/labctl/labctl"),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`labctl is not built (looked for ${candidates.join(", ")}): run dotnet build LabOrchestrator.slnx or ./run.sh first`);
  return found;
}

/** Starts a server with a fresh database; `labs` limits the example labs imported (all by default). */
export async function startServer(options: { labs?: string[] } = {}): Promise<RunningServer> {
  const labctl = findLabctl();
  const webRoot = join(repo, "web/dist");
  if (!existsSync(join(webRoot, "index.html"))) throw new Error("web/dist is not built: run scripts/build-web.sh first");
  const folder = mkdtempSync(join(tmpdir(), "labo-e2e-"));
  const database = join(folder, "e2e.db");

  // The example labs, each on its own so that one lab being edited elsewhere cannot hold up the others.
  for (const lab of readdirSync(join(repo, "labs"))) {
    const path = join(repo, "labs", lab);
    if (!existsSync(join(path, "lab.yaml"))) continue;
    if (options.labs && !options.labs.includes(lab)) continue;
    const r = spawnSync(labctl, ["--database", database, "lab", "import", path], { encoding: "utf8" });
    if (r.status !== 0) {
      if (lab === "hello-linux") throw new Error(`labctl lab import ${path} failed: ${r.stderr || r.stdout}`);
      console.warn(`e2e: skipped lab ${lab}: ${(r.stderr || r.stdout).trim()}`);
    }
  }

  const { child, baseUrl } = await serve(labctl, database, folder, "http://127.0.0.1:0");
  const server = { baseUrl, folder, process: child, labctl, database };
  try {
    await waitReady(baseUrl);
    await seed(baseUrl);
  } catch (e) {
    await stopServer(server);
    throw e;
  }
  return server;
}

/**
 * Stops the server's process as a restart would (its sessions, their machines and the database stay) and starts it
 * again on the same address once `whileAway` has run; resolves when it prints its address.
 */
export async function restartServer(server: RunningServer, whileAway: () => Promise<void> = async () => undefined): Promise<void> {
  if (server.process.exitCode === null) {
    const exited = new Promise((r) => server.process.once("exit", r));
    server.process.kill("SIGINT");
    await exited;
  }
  await whileAway();
  const { child } = await serve(server.labctl, server.database, server.folder, server.baseUrl);
  server.process = child;
}

async function serve(labctl: string, database: string, folder: string, urls: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const webRoot = join(repo, "web/dist");
  const child = spawn(labctl, ["--database", database, "serve", "--urls", urls], {
    cwd: folder,
    env: {
      ...process.env,
      Auth__AdminPassword: ADMIN_PASSWORD,
      // Every test signs in through the login form; the default of 5 per minute is for the real world.
      Auth__LoginAttempts: "1000",
      Web__Root: webRoot,
      ASPNETCORE_ENVIRONMENT: "Production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const baseUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`labctl serve did not start within 120 s:\n${output.join("")}`)), 120_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const m = /Serving on (http:\/\/[^\s,]+)/.exec(output.join(""));
      if (m) {
        clearTimeout(timer);
        ok(m[1].replace(/\/$/, ""));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => output.push(c.toString()));
    child.on("exit", (code: number | null) => {
      clearTimeout(timer);
      fail(new Error(`labctl serve exited with ${code}:\n${output.join("")}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, baseUrl };
}

async function waitReady(baseUrl: string) {
  const until = Date.now() + 120_000;
  let last = "";
  while (Date.now() < until) {
    try {
      const r = await fetch(`${baseUrl}/readyz`);
      if (r.ok) return;
      last = `${r.status} ${await r.text()}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${baseUrl}/readyz did not answer 200 within 120 s (last: ${last})`);
}

/** A signed-in API client with the cookie and the anti-forgery header, as a browser would be. */
export class Api {
  private constructor(
    private readonly baseUrl: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(baseUrl: string, userId: string, password: string): Promise<Api> {
    const r = await fetch(`${baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ userId, password }),
    });
    if (!r.ok) throw new Error(`login as ${userId}: ${r.status} ${await r.text()}`);
    const body = (await r.json()) as { csrfToken: string };
    const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return new Api(baseUrl, cookie, body.csrfToken);
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<T> {
    const r = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Cookie: this.cookie,
        "X-CSRF-Token": this.csrf,
        ...(body !== undefined ? { "Content-Type": contentType } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    const text = await r.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

async function seed(baseUrl: string) {
  const admin = await Api.login(baseUrl, users.admin.id, ADMIN_PASSWORD);
  for (const u of [users.learner, users.otherLearner, users.instructor]) {
    await admin.call("POST", "/api/users", { id: u.id, password: PASSWORD, role: u.role });
  }
  await admin.call("PUT", `/api/labs/${DRAFT_LAB}`, DRAFT_YAML, "application/yaml");
}

/** Stops every session left running, then the server, and removes its database folder. */
export async function stopServer(server: RunningServer) {
  try {
    const admin = await Api.login(server.baseUrl, users.admin.id, ADMIN_PASSWORD);
    const sessions = await admin.call<{ id: string; state: string }[]>("GET", "/api/sessions");
    const left = sessions.filter((s) => s.state !== "Stopped");
    await Promise.all(left.map((s) => admin.call("POST", `/api/sessions/${s.id}/stop`).catch(() => undefined)));
    // Stopping removes the pods in the background; let it finish before the server goes.
    const until = Date.now() + 60_000;
    while (left.length > 0 && Date.now() < until) {
      const now = await admin.call<{ id: string; state: string }[]>("GET", "/api/sessions");
      if (now.every((s) => s.state === "Stopped" || s.state === "Failed")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (e) {
    console.warn(`e2e: could not stop the sessions left: ${e}`);
  }
  if (server.process.exitCode === null) {
    const exited = new Promise((r) => server.process.once("exit", r));
    server.process.kill("SIGINT");
    const timer = setTimeout(() => server.process.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(server.folder, { recursive: true, force: true });
}
