// WCAG 2.1 AA on every page (axe-core, light and dark), and hello-linux from sign-in to stop with the keyboard only.
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { apiAs, BOOT_TIMEOUT, expect, expectTerminalLine, passwordOf, signInQuietly, startSessionByApi, stopSessionByApi, test, users, waitForPrompt } from "./fixtures";

const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe on the page as it is and fails with one line per violation (rule, impact, where). */
async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  const lines = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(" | ")}`,
  );
  expect(lines, `WCAG 2.1 AA violations on ${what}`).toEqual([]);
}

async function bothSchemes(page: Page, what: string, ready: () => Promise<void>) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await ready();
    await expectNoViolations(page, `${what} (${colorScheme})`);
  }
}

test("the sign-in, catalogue, my sessions and start pages have no WCAG 2.1 AA violations", async ({ page }) => {
  await page.goto("/login");
  await bothSchemes(page, "sign-in", () => expect(page.getByLabel("User name")).toBeVisible());

  const lea = await apiAs(users.learner.id);
  const stopped = await startSessionByApi(lea, "hello-linux");
  await stopSessionByApi(lea, stopped);

  await signInQuietly(page, users.learner.id);
  await page.goto("/");
  await bothSchemes(page, "catalogue", () => expect(page.getByRole("heading", { name: "Hello, Linux" })).toBeVisible());
  await page.goto("/sessions");
  await bothSchemes(page, "my sessions", () => expect(page.getByRole("heading", { name: "My sessions" })).toBeVisible());
  // A stopped session's start page stays put (a starting one moves on to the workspace).
  await page.goto(`/sessions/${stopped}/start`);
  await bothSchemes(page, "start page", () => expect(page.getByRole("heading", { name: "This session was stopped" })).toBeVisible());
  await page.goto(`/sessions/${stopped}`);
  await bothSchemes(page, "stopped workspace", () => expect(page.getByRole("heading", { name: "This session has stopped" })).toBeVisible());
});

test("the workspace has no WCAG 2.1 AA violations, wide and narrow", async ({ page }) => {
  const lea = await apiAs(users.learner.id);
  const id = await startSessionByApi(lea, "hello-linux");
  try {
    await signInQuietly(page, users.learner.id);
    await page.goto(`/sessions/${id}`);
    await bothSchemes(page, "workspace", async () => {
      await waitForPrompt(page);
      await expect(page.locator("#guide-page-title")).toBeVisible();
    });
    await page.setViewportSize({ width: 360, height: 740 });
    await bothSchemes(page, "workspace at 360 px", () => expect(page.getByRole("tab", { name: "Guide" })).toBeVisible());
  } finally {
    await stopSessionByApi(lea, id);
  }
});

test("the admin pages have no WCAG 2.1 AA violations", async ({ page }) => {
  await signInQuietly(page, users.admin.id);
  for (const [path, heading] of [
    ["/admin/labs", "Labs"],
    ["/admin/sessions", "All sessions"],
    ["/admin/users", "Users"],
    ["/admin/audit", "Audit log"],
  ] as const) {
    await page.goto(path);
    await bothSchemes(page, path, async () => {
      await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
      await expect(page.locator(".loading")).toHaveCount(0);
    });
  }
});

/** Presses Tab until `target` has the focus; in a terminal, Esc then Tab (its documented way out). */
async function tabTo(page: Page, target: Locator, max = 200) {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    const inTerminal = await page.evaluate(() => !!document.activeElement?.closest(".xterm"));
    if (inTerminal) await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab did not reach ${target}`);
}

async function press(page: Page, target: Locator, key = "Enter") {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

test("a learner does hello-linux with the keyboard only: start, run the steps, pass the checks, stop", async ({ page }) => {
  await page.goto("/login");
  await press(page, page.getByLabel("User name"), "Tab");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.type(users.learner.id);
  await page.keyboard.press("Tab");
  await page.keyboard.type(passwordOf(users.learner.id));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Catalogue" })).toBeVisible();

  const card = page.locator(".lab-card").filter({ has: page.getByRole("heading", { name: "Hello, Linux", exact: true }) });
  await press(page, card.getByRole("button", { name: "Start" }));
  await expect(page).toHaveURL(/\/sessions\/[^/]+$/, { timeout: BOOT_TIMEOUT });
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
  const lea = await apiAs(users.learner.id);
  try {
    await waitForPrompt(page);
    const step = (title: string) => page.getByRole("region", { name: `Step: ${title}` });
    const runButtons = () => page.locator(".guide").getByRole("button", { name: "Run in linux" });

    // Page 1: run whoami, pwd and ls -la, tick the step by hand.
    for (let i = 0; i < 3; i++) await press(page, runButtons().nth(i));
    await expectTerminalLine(page, "learner");
    await press(page, step("Run whoami, pwd and ls -la").getByRole("checkbox"), "Space");
    await expect(step("Run whoami, pwd and ls -la").getByRole("checkbox")).toBeChecked();

    // Type into the terminal itself, then leave it with Esc then Tab.
    await tabTo(page, page.locator(".tab-panel:not([hidden]) .xterm-helper-textarea"));
    await page.keyboard.type("echo typed-by-keyboard");
    await page.keyboard.press("Enter");
    await expectTerminalLine(page, "typed-by-keyboard");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest(".xterm"))).toBe(false);

    // Page 2: the folder and the file, each checked.
    await press(page, page.getByRole("button", { name: "Next page" }));
    await expect(page.locator("#guide-page-title")).toHaveText("Files and folders");
    await press(page, runButtons().nth(0));
    await press(page, step("Create the projects folder").getByRole("button", { name: "Check" }));
    await expect(step("Create the projects folder").getByText("Done", { exact: true })).toBeVisible({ timeout: 30_000 });
    await press(page, runButtons().nth(1));
    await press(page, step("Create projects/hello.txt").getByRole("button", { name: "Check" }));
    await expect(step("Create projects/hello.txt").getByText("Done", { exact: true })).toBeVisible({ timeout: 30_000 });

    // Page 3: the script.
    await press(page, page.getByRole("button", { name: "Next page" }));
    await expect(page.locator("#guide-page-title")).toHaveText("Permissions");
    await press(page, runButtons().nth(0));
    await press(page, runButtons().nth(1));
    await expectTerminalLine(page, "Hello, learner");
    await press(page, step("Make greet.sh executable").getByRole("button", { name: "Check" }));
    await expect(step("Make greet.sh executable").getByText("Done", { exact: true })).toBeVisible({ timeout: 30_000 });

    // Stop, confirming with the keyboard.
    await press(page, page.getByRole("button", { name: "Stop", exact: true }));
    await expect(page.getByRole("button", { name: "Stop session" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "This session has stopped" })).toBeVisible({ timeout: 60_000 });
  } finally {
    await stopSessionByApi(lea, id);
  }
});
