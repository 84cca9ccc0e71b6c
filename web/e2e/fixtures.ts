// Shared helpers for the browser tests: the server's address, signing in, and reading the xterm.js terminal.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { test as base, expect, type Page } from "@playwright/test";
import { Api, users } from "./server";

export { expect };
export { users, DRAFT_LAB } from "./server";

export const baseUrl = () => {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run the tests with npx playwright test (global-setup starts the server)");
  return url;
};

export const passwordOf = (userId: string) => (userId === users.admin.id ? process.env.E2E_ADMIN_PASSWORD! : process.env.E2E_PASSWORD!);

export const test = base.extend({
  // The server's port is only known once global-setup has started it.
  baseURL: async ({}, use) => use(baseUrl()),
  // The app must work under the server's Content-Security-Policy: any violation Chromium reports fails the test.
  page: async ({ page }, use) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.text().includes("Content Security Policy")) violations.push(m.text());
    });
    await use(page);
    expect(violations, "Content-Security-Policy violations").toEqual([]);
  },
});

/** Starting a lab and opening its terminal wait on Podman: generous on a busy 2-core machine. */
export const BOOT_TIMEOUT = 90_000;

/** Signs in through the login form and waits for the catalogue. */
export async function signIn(page: Page, userId: string) {
  await page.goto("/");
  await page.getByLabel("User name").fill(userId);
  await page.getByLabel("Password").fill(passwordOf(userId));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Catalogue" })).toBeVisible();
}

/** Signs in with the API (the cookie lands in the page's browser context): for tests that are not about the form. */
export async function signInQuietly(page: Page, userId: string) {
  const r = await page.request.post("/api/auth/login", { data: { userId, password: passwordOf(userId) } });
  expect(r.ok(), `login as ${userId}`).toBeTruthy();
}

export function labCard(page: Page, title: string) {
  return page.locator(".lab-card").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
}

/** Starts the lab from its catalogue card and waits for the workspace; returns the session id. */
export async function startLab(page: Page, title: string): Promise<string> {
  await labCard(page, title).getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/sessions\/[^/]+\/start$/);
  // The workspace opens as soon as the machines run ("Your lab is ready" shows only for a moment).
  await expect(page).toHaveURL(/\/sessions\/[^/]+$/, { timeout: BOOT_TIMEOUT });
  return decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
}

/** The visible lines of the terminal in the shown tab (xterm's DOM renderer: one div per row). */
export async function terminalLines(page: Page): Promise<string[]> {
  const rows = await page.locator(".tab-panel:not([hidden]) .xterm-rows > div").allTextContents();
  return rows.map((r) => r.replace(/\u00a0/g, " ").trimEnd());
}

export const isPrompt = (line: string) => /[$#]$/.test(line.trimEnd());

/** Waits until the terminal shows a shell prompt (a line ending in "$" or "#"). */
export async function waitForPrompt(page: Page, timeout = BOOT_TIMEOUT) {
  await expect.poll(async () => (await terminalLines(page)).some(isPrompt), { timeout, message: "a shell prompt in the terminal" }).toBe(true);
}

/** Types a command into the shown terminal and presses Enter. */
export async function typeInTerminal(page: Page, command: string) {
  await page.locator(".tab-panel:not([hidden]) .xterm").click();
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
}

/** Waits for a terminal line that is exactly `text` (a command's output, not the echoed command line). */
export async function expectTerminalLine(page: Page, text: string, timeout = 20_000) {
  await expect
    .poll(async () => (await terminalLines(page)).some((l) => l.trim() === text), { timeout, message: `a terminal line "${text}"` })
    .toBe(true);
}

/** Stops the session from the workspace, with its confirmation. */
export async function stopFromWorkspace(page: Page) {
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await page.getByRole("button", { name: "Stop session" }).click();
  await expect(page.getByRole("heading", { name: "This session has stopped" })).toBeVisible({ timeout: 60_000 });
}

/** A signed-in REST client (cookie + anti-forgery header) for arranging what a test needs. */
export function apiAs(userId: string) {
  return Api.login(baseUrl(), userId, passwordOf(userId));
}

interface SessionInfo {
  id: string;
  state: string;
  userId: string;
}

/** Starts a session through the API and waits until it runs. */
export async function startSessionByApi(api: Api, lab: string): Promise<string> {
  const s = await api.call<SessionInfo>("POST", "/api/sessions", { lab });
  await expect
    .poll(async () => (await api.call<SessionInfo>("GET", `/api/sessions/${s.id}`)).state, { timeout: BOOT_TIMEOUT, message: `session ${s.id} running` })
    .toBe("Running");
  return s.id;
}

export async function stopSessionByApi(api: Api, id: string) {
  await api.call("POST", `/api/sessions/${encodeURIComponent(id)}/stop`).catch((e) => console.warn(`could not stop ${id}: ${e}`));
}

/** The Podman container of a session's node (pod `lo-SESSION-NODE`, container `node`, as kube play names it). */
export const nodeContainer = (sessionId: string, node: string) => `lo-${sessionId}-${node}-node`;

/**
 * Runs a command in a node's container with the podman CLI (the tests run as root, beside the engine's Podman) and
 * returns its standard output. `options.user` runs it as that user (`learner`), `options.env` adds variables.
 */
export function execInNode(container: string, command: string[], options: { user?: string; env?: Record<string, string> } = {}): string {
  const args = ["exec"];
  if (options.user) args.push("--user", options.user);
  for (const [k, v] of Object.entries(options.env ?? {})) args.push("--env", `${k}=${v}`);
  return execFileSync("podman", [...args, container, ...command], { encoding: "utf8", timeout: 30_000, stdio: ["ignore", "pipe", "pipe"] });
}

/** Like execInNode, but undefined instead of an exception when the command fails: for polling. */
export function tryExecInNode(container: string, command: string[], options: { user?: string; env?: Record<string, string> } = {}): string | undefined {
  try {
    return execInNode(container, command, options);
  } catch {
    return undefined;
  }
}

/**
 * Opens a WebSocket from inside the page (so it carries the page's cookies and Origin, as the app's own would) and
 * tells whether the server accepted it; closes it again when it did. `protocols`: as the app asks (["binary"] for
 * desktops; none for terminals, whose endpoint selects no subprotocol, which a browser takes as a failure).
 */
export async function probeWebSocket(page: Page, url: string, protocols: string[] = []): Promise<"opened" | "refused"> {
  return page.evaluate(
    ([u, p]) =>
      new Promise<"opened" | "refused">((resolve) => {
        const ws = new WebSocket(u, p);
        ws.onopen = () => {
          ws.close(1000);
          resolve("opened");
        };
        ws.onerror = () => resolve("refused");
        ws.onclose = () => resolve("refused");
      }),
    [url, protocols] as const,
  );
}

/**
 * The HTTP status a WebSocket handshake to `url` (ws: or http:) gets from Node, with the given headers (a Cookie, say):
 * 101 when the server would upgrade (the socket is closed at once), else the status it refused with.
 */
export function handshakeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url.replace(/^ws/, "http"), {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...headers,
      },
      timeout: 30_000,
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 101);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to the handshake of ${url} within 30 s`)));
    req.on("error", reject);
    req.end();
  });
}
