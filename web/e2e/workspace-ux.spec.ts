// The workspace for people: no keyboard trap in the terminal, a layout that works from 360 px wide, and a stop that
// says what is happening and who did it.
import type { Page, TestInfo } from "@playwright/test";
import { apiAs, expect, signInQuietly, startSessionByApi, stopSessionByApi, test, users, waitForPrompt, BOOT_TIMEOUT } from "./fixtures";

/** Saves a screenshot as a test artifact (test-results/artifacts/…) and attaches it to the report. */
async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: "image/png" });
}

async function noHorizontalOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, "the page does not scroll sideways").toBeLessThanOrEqual(client);
}

async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  return b ?? { x: 0, y: 0, width: 0, height: 0 };
}

const terminalFocused = (page: Page) => page.evaluate(() => !!document.activeElement?.closest(".xterm"));

test("the workspace works at 360×740, 800×600 and 1440×900", async ({ page }, info) => {
  const lea = await apiAs(users.learner.id);
  const id = await startSessionByApi(lea, "hello-linux");
  try {
    await signInQuietly(page, users.learner.id);
    for (const size of [{ width: 360, height: 740 }, { width: 800, height: 600 }]) {
      await test.step(`${size.width}×${size.height}: guide and machines as tabs`, async () => {
        await page.setViewportSize(size);
        await page.goto(`/sessions/${id}`);
        const views = page.getByRole("tablist", { name: "Workspace" });
        await expect(views).toBeVisible();
        await expect(views.getByRole("tab", { name: "Guide" })).toHaveAttribute("aria-selected", "true");
        await expect(page.locator("#guide-page-title")).toBeVisible({ timeout: 30_000 });
        const guide = await box(page, ".guide");
        expect(guide.width, "the guide takes the width").toBeGreaterThanOrEqual(size.width - 2);
        await noHorizontalOverflow(page);
        await shot(page, info, `workspace-${size.width}x${size.height}-guide`);

        await views.getByRole("tab", { name: "Machines" }).click();
        await expect(page.locator(".guide")).toBeHidden();
        await waitForPrompt(page);
        const term = await box(page, ".tab-panel:not([hidden]) .terminal-body");
        expect(term.height, "the terminal area has height").toBeGreaterThan(size.height * 0.5);
        expect(term.width).toBeGreaterThanOrEqual(size.width - 2);
        // The terminal's rows fill the pane: no blank strip beside or below it.
        const screen = await box(page, ".tab-panel:not([hidden]) .xterm-screen");
        expect(screen.width).toBeGreaterThan(term.width - 40);
        await noHorizontalOverflow(page);
        await shot(page, info, `workspace-${size.width}x${size.height}-machines`);

        await views.getByRole("tab", { name: "Guide" }).click();
        await expect(page.locator(".guide")).toBeVisible();
      });
    }

    await test.step("1440×900: guide and machines side by side", async () => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`/sessions/${id}`);
      await expect(page.getByRole("tablist", { name: "Workspace" })).toHaveCount(0);
      await waitForPrompt(page);
      const guide = await box(page, ".guide");
      const term = await box(page, ".tab-panel:not([hidden]) .terminal-body");
      expect(guide.width, "the guide is readable").toBeGreaterThanOrEqual(400);
      expect(term.height, "the terminal area has height").toBeGreaterThan(600);
      expect(term.x).toBeGreaterThan(guide.x + guide.width - 1);
      await noHorizontalOverflow(page);
      await shot(page, info, "workspace-1440x900");
    });
  } finally {
    await stopSessionByApi(lea, id);
  }
});

test("all sessions fit at 1440×900 and the catalogue at 360×740", async ({ page }, info) => {
  // A running session with a guide: its row has the most in it (progress, Watch terminal, Stop).
  const leo = await apiAs(users.otherLearner.id);
  const running = await startSessionByApi(leo, "hello-linux");
  try {
    await allSessionsAndCatalogue(page, info);
  } finally {
    await stopSessionByApi(leo, running);
  }
});

async function allSessionsAndCatalogue(page: Page, info: TestInfo) {
  await signInQuietly(page, users.instructor.id);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/admin/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "All sessions" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop" }).first()).toBeVisible();
  await noHorizontalOverflow(page);
  const wrap = page.locator(".table-wrap");
  if ((await wrap.count()) > 0) {
    const { scroll, client } = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(scroll, "the sessions table fits without scrolling sideways").toBeLessThanOrEqual(client);
  }
  await shot(page, info, "all-sessions-1440x900");

  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Catalogue" })).toBeVisible();
  await noHorizontalOverflow(page);
  await shot(page, info, "catalogue-360x740");
}

test("the terminal takes focus only when asked, Esc then Tab leaves it, and it goes full screen", async ({ page }) => {
  const lea = await apiAs(users.learner.id);
  const id = await startSessionByApi(lea, "hello-linux");
  try {
    await signInQuietly(page, users.learner.id);
    await page.goto(`/sessions/${id}`);
    await waitForPrompt(page);
    expect(await terminalFocused(page), "opening the workspace leaves focus alone").toBe(false);
    await expect(page.getByText("Esc then Tab leaves the terminal")).toBeVisible();

    await page.locator(".tab-panel:not([hidden]) .xterm").click();
    expect(await terminalFocused(page)).toBe(true);
    await page.keyboard.press("Tab");
    expect(await terminalFocused(page), "Tab alone stays in the shell (completion)").toBe(true);

    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await terminalFocused(page), "Esc then Tab leaves").toBe(false);

    await page.locator(".tab-panel:not([hidden]) .xterm").click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    expect(await terminalFocused(page), "Esc then Shift+Tab leaves backwards").toBe(false);

    await page.getByRole("button", { name: "Full screen" }).click();
    const pane = await box(page, ".terminal-fullscreen");
    const vp = page.viewportSize()!;
    expect(pane.width).toBe(vp.width);
    expect(pane.height).toBe(vp.height);
    await page.getByRole("button", { name: "Exit full screen" }).click();
    await expect(page.locator(".terminal-fullscreen")).toHaveCount(0);
  } finally {
    await stopSessionByApi(lea, id);
  }
});

test("a session stopped by an instructor shows Stopping, then who stopped it, with Start again", async ({ page }) => {
  const lea = await apiAs(users.learner.id);
  const ian = await apiAs(users.instructor.id);
  const id = await startSessionByApi(lea, "hello-linux");
  try {
    await signInQuietly(page, users.learner.id);
    await page.goto(`/sessions/${id}`);
    await waitForPrompt(page, BOOT_TIMEOUT);
    const stop = ian.call("POST", `/api/sessions/${id}/stop`);
    await expect(page.getByRole("heading", { name: "This session is stopping" })).toBeVisible({ timeout: 10_000 });
    await stop;
    await expect(page.getByRole("heading", { name: "This session has stopped" })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/^Stopped by an instructor, ian\.$|^Stopped by ian\.$/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Start again" })).toBeVisible();
  } finally {
    await stopSessionByApi(lea, id);
  }
});
