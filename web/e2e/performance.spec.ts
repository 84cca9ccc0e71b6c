// Measures (and only records, never asserts) how fast the app becomes usable, checks the JavaScript size budget of
// the first page, and saves the screenshots used in the README. Figures go to test-results/timings.json.
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page, Response } from "@playwright/test";
import { BOOT_TIMEOUT, apiAs, expect, labCard, passwordOf, stopSessionByApi, test, users, waitForPrompt } from "./fixtures";
import { median, recordTimings, round } from "./timings";

const out = (name: string) => fileURLToPath(new URL(`../test-results/${name}`, import.meta.url));
const BUDGET_GZIP_BYTES = 400 * 1024;
const CATALOGUE_LOADS = 5;
const WORKSPACE_STARTS = 5;

declare global {
  interface Window {
    __marks?: Record<string, number>;
  }
}

/**
 * Runs in the page before the app: notes (performance.now(), ms since navigation start) the first moment that
 * - the catalogue has a lab card with an enabled Start button ("interactive"),
 * - the start page says the lab is ready (the session reached Running, as the page learns it),
 * - the workspace has a terminal, and that terminal shows a shell prompt.
 */
function observeMilestones() {
  const marks: Record<string, number> = (window.__marks = {});
  const mark = (name: string) => {
    if (marks[name] === undefined) marks[name] = performance.now();
  };
  const check = () => {
    if (document.querySelector(".lab-card .card-footer button:not([disabled])")) mark("catalogueInteractive");
    if ([...document.querySelectorAll("h1")].some((h) => h.textContent === "Your lab is ready")) mark("running");
    if (document.querySelector(".xterm")) mark("terminalOpen");
    const rows = document.querySelectorAll(".xterm-rows > div");
    for (const r of rows) {
      if (/[$#]$/.test((r.textContent ?? "").replace(/\u00a0/g, " ").trimEnd())) {
        mark("prompt");
        break;
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
}

interface Script {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Collects every JavaScript file the page loads, with its size and its gzipped size. */
function collectScripts(page: Page): Script[] {
  const scripts: Script[] = [];
  page.on("response", async (r: Response) => {
    if (r.request().resourceType() !== "script" || !r.ok()) return;
    const body = await r.body();
    scripts.push({ file: new URL(r.url()).pathname, bytes: body.length, gzipBytes: gzipSync(body).length });
  });
  return scripts;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const sum = (scripts: Script[]) => scripts.reduce((a, s) => a + s.gzipBytes, 0);

async function signedInContext(browser: Browser, colorScheme: "light" | "dark"): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme, baseURL: process.env.E2E_BASE_URL });
  const r = await context.request.post("/api/auth/login", { data: { userId: users.learner.id, password: passwordOf(users.learner.id) } });
  expect(r.ok()).toBeTruthy();
  await context.addInitScript(observeMilestones);
  return context;
}

const marks = (page: Page) => page.evaluate(() => window.__marks ?? {});

test("the catalogue is interactive fast and its JavaScript stays under 400 KB gzipped, without the terminal code", async ({ browser }) => {
  const interactive: number[] = [];
  const domContentLoaded: number[] = [];
  let firstPage: Script[] = [];
  for (let i = 0; i < CATALOGUE_LOADS; i++) {
    // A new context each time: an empty cache, as for a first visit.
    const scheme = i === 1 ? "dark" : "light";
    const context = await signedInContext(browser, scheme);
    const page = await context.newPage();
    const scripts = collectScripts(page);
    await page.goto("/");
    await expect(labCard(page, "Hello, Linux").getByRole("button", { name: "Start" })).toBeEnabled();
    await page.waitForFunction(() => window.__marks?.catalogueInteractive !== undefined);
    interactive.push((await marks(page)).catalogueInteractive);
    domContentLoaded.push(await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
    if (i < 2) {
      // Lab details (durations, machine counts) arrive after the cards; wait for them before the picture.
      await expect(page.locator(".lab-card .skeleton")).toHaveCount(0);
      await page.screenshot({ path: out(`catalogue-${scheme}.png`) });
    }
    await page.waitForLoadState("networkidle");
    if (i === 0) firstPage = [...scripts];
    await context.close();
  }

  const total = sum(firstPage);
  recordTimings("catalogue", {
    what: "navigation start → first lab card with an enabled Start button (signed in, empty cache, loopback)",
    loads: CATALOGUE_LOADS,
    interactiveMs: { median: round(median(interactive)), min: round(Math.min(...interactive)), max: round(Math.max(...interactive)) },
    domContentLoadedMs: { median: round(median(domContentLoaded)) },
    samplesMs: interactive.map(round),
  });
  recordTimings("javascriptFirstPage", {
    files: firstPage.map((s) => ({ ...s, kb: kb(s.bytes), gzipKb: kb(s.gzipBytes) })),
    totalKb: kb(firstPage.reduce((a, s) => a + s.bytes, 0)),
    totalGzipKb: kb(total),
    budgetGzipKb: BUDGET_GZIP_BYTES / 1024,
  });

  expect(firstPage.length, "the first page loads JavaScript").toBeGreaterThan(0);
  expect(total, "gzipped JavaScript of the first page").toBeLessThan(BUDGET_GZIP_BYTES);
  expect(firstPage.map((s) => s.file).filter((f) => /Workspace|xterm/i.test(f)), "no terminal code on the first page").toEqual([]);
});

test("a started session's workspace shows its first prompt soon after Running", async ({ browser }) => {
  // Five starts one after another: on a loaded 2-core machine each can take tens of seconds.
  test.setTimeout(WORKSPACE_STARTS * 90_000);
  const runningToPrompt: number[] = [];
  const runningToTerminal: number[] = [];
  const terminalToPrompt: number[] = [];
  let workspaceScripts: Script[] = [];
  const lea = await apiAs(users.learner.id);
  for (let i = 0; i < WORKSPACE_STARTS; i++) {
    const scheme = i === 1 ? "dark" : "light";
    const context = await signedInContext(browser, scheme);
    const page = await context.newPage();
    let sessionId: string | undefined;
    try {
      await page.goto("/");
      const card = labCard(page, "Hello, Linux");
      await expect(card.getByRole("button", { name: "Start" })).toBeEnabled();
      await page.waitForLoadState("networkidle");
      const scripts = collectScripts(page); // from here on: what the start page and the workspace add
      await card.getByRole("button", { name: "Start" }).click();
      await expect(page).toHaveURL(/\/sessions\/[^/]+\/start$/);
      sessionId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
      await expect(page).toHaveURL(/\/sessions\/[^/]+$/, { timeout: BOOT_TIMEOUT });
      await waitForPrompt(page);
      await page.waitForFunction(() => window.__marks?.prompt !== undefined);
      const m = await marks(page);
      runningToPrompt.push(m.prompt - m.running);
      runningToTerminal.push(m.terminalOpen - m.running);
      terminalToPrompt.push(m.prompt - m.terminalOpen);
      if (i === 0) workspaceScripts = [...scripts];
      if (i < 2) {
        await page.getByRole("button", { name: "Run in linux" }).first().click();
        await expect(page.locator(".tab-panel:not([hidden]) .xterm-rows")).toContainText("learner", { timeout: 20_000 }).catch(() => undefined);
        await page.locator(".tab-panel:not([hidden]) .xterm").click();
        await page.keyboard.type("ls -la /home/learner\n");
        await expect(page.locator(".tab-panel:not([hidden]) .xterm-rows")).toContainText(".bashrc");
        // Show the guide from its top, as a learner first sees it.
        await page.locator(".guide").evaluate((guide) => {
          for (let e: Element | null = guide; e; e = e.parentElement) e.scrollTop = 0;
          guide.querySelectorAll("*").forEach((e) => (e.scrollTop = 0));
        });
        await page.screenshot({ path: out(`workspace-${scheme}.png`) });
      }
    } finally {
      await context.close();
      if (sessionId) await stopSessionByApi(lea, sessionId);
    }
  }

  recordTimings("runningToPrompt", {
    what: "start page sees the session Running → the workspace's terminal shows a shell prompt (the start page opens the workspace as soon as it sees Running; its code was fetched during the start)",
    starts: WORKSPACE_STARTS,
    promptMs: { median: round(median(runningToPrompt)), min: round(Math.min(...runningToPrompt)), max: round(Math.max(...runningToPrompt)) },
    runningToTerminalMs: { median: round(median(runningToTerminal)) },
    terminalToPromptMs: { median: round(median(terminalToPrompt)) },
    samplesMs: runningToPrompt.map(round),
  });
  recordTimings("javascriptWorkspace", {
    what: "JavaScript loaded after the catalogue, when a session starts and its workspace opens",
    files: workspaceScripts.map((s) => ({ ...s, kb: kb(s.bytes), gzipKb: kb(s.gzipBytes) })),
    totalGzipKb: kb(sum(workspaceScripts)),
  });
  expect(workspaceScripts.some((s) => /Workspace/.test(s.file)), "the terminal code is loaded when the workspace opens").toBe(true);
});
