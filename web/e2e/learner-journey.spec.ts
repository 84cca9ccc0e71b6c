// A learner's whole way through hello-linux in the browser, against the real server, Podman and a real node.
import type { Page } from "@playwright/test";
import {
  BOOT_TIMEOUT,
  expect,
  labCard,
  signIn,
  stopFromWorkspace,
  terminalLines,
  test,
  typeInTerminal,
  users,
  waitForPrompt,
  expectTerminalLine,
  isPrompt,
} from "./fixtures";

const overall = (page: Page) => page.getByRole("progressbar", { name: "Overall progress" });
const pageProgress = (page: Page) => page.getByRole("progressbar", { name: "Page progress" });
const makeFolder = (page: Page) => page.getByRole("region", { name: "Step: Create the projects folder" });

async function valueNow(bar: ReturnType<typeof overall>): Promise<number> {
  return Number(await bar.getAttribute("aria-valuenow"));
}

/** Moves through the guide with "Next page" until the page titled `title` is shown. */
async function openGuidePage(page: Page, title: string | RegExp) {
  const heading = page.locator("#guide-page-title");
  await expect(heading).toBeVisible({ timeout: 30_000 });
  const shown = async () => {
    const text = (await heading.textContent())?.trim() ?? "";
    return typeof title === "string" ? text === title : title.test(text);
  };
  for (let i = 0; i < 10 && !(await shown()); i++) {
    await page.getByRole("button", { name: "Next page" }).click();
  }
  await expect(heading).toHaveText(title);
}

/** The command line that ends with `command` is followed by its output (a line that is not a prompt). */
async function expectCommandRan(page: Page, command: string) {
  await expect
    .poll(
      async () => {
        const lines = await terminalLines(page);
        const at = lines.findLastIndex((l) => /[$#] /.test(l) && l.trimEnd().endsWith(command));
        return at >= 0 && at + 1 < lines.length && lines[at + 1].trim() !== "" && !isPrompt(lines[at + 1]);
      },
      { timeout: 20_000, message: `"${command}" ran in the terminal and printed something` },
    )
    .toBe(true);
}

test("a learner starts hello-linux, works through a checked step and stops", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await test.step("sign in and see the catalogue", async () => {
    await signIn(page, users.learner.id);
    await expect(labCard(page, "Hello, Linux")).toBeVisible();
  });

  await test.step("start hello-linux; the start bar reaches Running", async () => {
    await labCard(page, "Hello, Linux").getByRole("button", { name: "Start" }).click();
    await expect(page).toHaveURL(/\/sessions\/[^/]+\/start$/);
    const bar = page.getByRole("progressbar", { name: "Start progress" });
    await expect(bar).toBeVisible();
    await expect(page.getByRole("list", { name: "Machines" }).getByText("linux", { exact: true })).toBeVisible();
    // The workspace opens as soon as the machines run (its code was fetched during the start).
    await expect(page).toHaveURL(/\/sessions\/[^/]+$/, { timeout: BOOT_TIMEOUT });
  });

  await test.step("type echo hi in the terminal and see the output", async () => {
    await expect(page.getByRole("tab", { name: /linux/ })).toHaveAttribute("aria-selected", "true");
    await waitForPrompt(page);
    await typeInTerminal(page, "echo hi");
    await expectTerminalLine(page, "hi");
  });

  await test.step("a run-in-terminal code block runs in the shell", async () => {
    await openGuidePage(page, /^Welcome/);
    await page.getByRole("button", { name: "Run in linux" }).first().click();
    await expect(page.getByText("Sent to linux")).toBeVisible();
    await expectCommandRan(page, "whoami");
    // hello-linux's terminal logs in as the learner (access.user), as its guide expects.
    await expectTerminalLine(page, "learner");
  });

  let before = 0;
  await test.step("a check fails with its FAIL message", async () => {
    await openGuidePage(page, "Files and folders");
    await expect(overall(page)).toBeVisible();
    before = await valueNow(overall(page));
    await expect(pageProgress(page)).toHaveAttribute("aria-valuenow", "0");
    const step = makeFolder(page);
    await step.getByRole("button", { name: "Check" }).click();
    await expect(step.getByText("there is no folder /home/learner/projects yet")).toBeVisible({ timeout: 30_000 });
    await expect(step.getByText("Done", { exact: true })).toHaveCount(0);
  });

  await test.step("solve it in the terminal; the check passes, the step ticks and the bars advance", async () => {
    // The terminal's shell is the learner's, in their home folder.
    await typeInTerminal(page, "mkdir -p ~/projects && ls -d ~/projects");
    await expectTerminalLine(page, "/home/learner/projects");
    const step = makeFolder(page);
    await step.getByRole("button", { name: "Check" }).click();
    await expect(step.getByText("Done", { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(step.getByRole("button", { name: "Check" })).toHaveCount(0);
    await expect(overall(page)).toHaveAttribute("aria-valuenow", String(before + 1));
    await expect(pageProgress(page)).toHaveAttribute("aria-valuenow", "1");
  });

  await test.step("reload: the progress is kept", async () => {
    await page.reload();
    await openGuidePage(page, "Files and folders");
    await expect(overall(page)).toHaveAttribute("aria-valuenow", String(before + 1));
    await expect(pageProgress(page)).toHaveAttribute("aria-valuenow", "1");
    await expect(makeFolder(page).getByText("Done", { exact: true })).toBeVisible();
  });

  await test.step("stop the session", async () => {
    await stopFromWorkspace(page);
  });

  expect(errors, "no uncaught errors in the page").toEqual([]);
});
