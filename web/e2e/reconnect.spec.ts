// A server restart (issue 14): the page says the server is away, and the terminal is back within 2 s of the server.
// Runs its own server (the others share one that must not restart under them).
import { test as base } from "@playwright/test";
import { expect, isPrompt } from "./fixtures";
import { Api, PASSWORD, restartServer, startServer, stopServer, users, type RunningServer } from "./server";
import { recordTimings } from "./timings";

const test = base.extend<{ server: RunningServer }>({
  server: async ({}, use) => {
    const server = await startServer({ labs: ["hello-linux"] });
    try {
      await use(server);
    } finally {
      await stopServer(server);
    }
  },
});

const terminalRows = (page: import("@playwright/test").Page) => page.locator(".tab-panel:not([hidden]) .xterm-rows > div").allTextContents();

test("after a server restart the terminal reconnects within 2 s of the server being back", async ({ page, server }) => {
  const lea = await Api.login(server.baseUrl, users.learner.id, PASSWORD);
  const session = await lea.call<{ id: string }>("POST", "/api/sessions", { lab: "hello-linux" });
  await expect
    .poll(async () => (await lea.call<{ state: string }>("GET", `/api/sessions/${session.id}`)).state, { timeout: 90_000 })
    .toBe("Running");

  const login = await page.request.post(`${server.baseUrl}/api/auth/login`, { data: { userId: users.learner.id, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  await page.goto(`${server.baseUrl}/sessions/${session.id}`);
  await expect.poll(async () => (await terminalRows(page)).some((l) => isPrompt(l.replace(/\u00a0/g, " "))), { timeout: 90_000 }).toBe(true);

  // The first frame of a terminal connection opened after the restart: the new shell is there.
  let restarted = false;
  let reconnectedAt = 0;
  page.on("websocket", (ws) => {
    if (!restarted || !ws.url().includes("/terminal")) return;
    ws.once("framereceived", () => {
      reconnectedAt ||= Date.now();
    });
  });

  let backAt = 0;
  await restartServer(server, async () => {
    restarted = true;
    await expect(page.getByText("The server is not answering.")).toBeVisible({ timeout: 15_000 });
    // Away for a while, as a real restart is: the back-off has grown to its cap.
    await page.waitForTimeout(5000);
  });
  // When the server answers again, as the browser's probe would see it.
  await expect
    .poll(
      async () => {
        try {
          const ok = (await fetch(`${server.baseUrl}/healthz`)).ok;
          if (ok && !backAt) backAt = Date.now();
          return ok;
        } catch {
          return false;
        }
      },
      { intervals: [50], timeout: 60_000 },
    )
    .toBe(true);

  await expect.poll(() => reconnectedAt, { timeout: 30_000, message: "a new terminal connection with output" }).toBeGreaterThan(0);
  await expect(page.locator(".tab-panel:not([hidden])").getByText("Connected", { exact: true })).toBeVisible();
  await expect(page.getByText("The server is not answering.")).toHaveCount(0);
  const afterBack = reconnectedAt - backAt;
  recordTimings("reconnect-after-restart", { msFromServerBackToTerminal: afterBack });
  expect(afterBack, "ms from the server answering again to the terminal's new shell").toBeLessThanOrEqual(2000);

  await lea.call("POST", `/api/sessions/${session.id}/stop`).catch(() => undefined);
});
