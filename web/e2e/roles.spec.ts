// What each role may and may not see in the web app (the server enforces the same rules with 401/403/404).
import type { Page } from "@playwright/test";
import {
  apiAs,
  DRAFT_LAB,
  expect,
  expectTerminalLine,
  labCard,
  signIn,
  startSessionByApi,
  stopSessionByApi,
  terminalLines,
  test,
  typeInTerminal,
  users,
  waitForPrompt,
} from "./fixtures";

const ADMIN_PAGES = [
  { link: "Labs", path: "/admin/labs", heading: "Labs" },
  { link: "All sessions", path: "/admin/sessions", heading: "All sessions" },
  { link: "Users", path: "/admin/users", heading: "Users" },
  { link: "Audit log", path: "/admin/audit", heading: "Audit log" },
] as const;
const DRAFT_TITLE = "Draft lab for the browser tests";
const NO_ACCESS = "You do not have access to this page";

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

async function expectNav(page: Page, shown: readonly string[], hidden: readonly string[]) {
  for (const name of shown) await expect(mainNav(page).getByRole("link", { name, exact: true })).toBeVisible();
  for (const name of hidden) await expect(mainNav(page).getByRole("link", { name, exact: true })).toHaveCount(0);
}

async function expectAdminPage(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
  await expect(page.getByText(NO_ACCESS)).toHaveCount(0);
}

async function expectNoAccess(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { name: NO_ACCESS })).toBeVisible();
}

test("a learner sees the published catalogue and their own sessions, nothing of admins or of other learners", async ({ page }) => {
  const leo = await apiAs(users.otherLearner.id);
  const othersSession = await startSessionByApi(leo, "hello-linux");
  try {
    await signIn(page, users.learner.id);
    await expectNav(page, ["Catalogue", "My sessions"], ADMIN_PAGES.map((p) => p.link));

    await expect(labCard(page, "Hello, Linux")).toBeVisible();
    await expect(labCard(page, DRAFT_TITLE), "an unpublished lab is not in a learner's catalogue").toHaveCount(0);
    await expect(page.getByText(DRAFT_LAB)).toHaveCount(0);

    await mainNav(page).getByRole("link", { name: "My sessions" }).click();
    await expect(page.getByRole("heading", { name: "My sessions" })).toBeVisible();
    await expect(page.getByText(othersSession)).toHaveCount(0);

    for (const p of ADMIN_PAGES) await expectNoAccess(page, p.path);

    // Another learner's workspace: the server answers 403, the page says so and shows no terminal.
    await page.goto(`/sessions/${othersSession}`);
    await expect(page.getByText("The workspace could not be opened")).toBeVisible();
    await expect(page.locator(".xterm")).toHaveCount(0);
  } finally {
    await stopSessionByApi(leo, othersSession);
  }
});

test("an instructor manages labs and sees all sessions, watches a learner's terminal read only, but not users or the audit log", async ({ page, browser }) => {
  const lea = await apiAs(users.learner.id);
  const session = await startSessionByApi(lea, "hello-linux");
  const learnerContext = await browser.newContext();
  try {
    // The learner works in their workspace while the instructor watches.
    const learner = await learnerContext.newPage();
    await signIn(learner, users.learner.id);
    await learner.goto(`/sessions/${session}`);
    await waitForPrompt(learner);

    await signIn(page, users.instructor.id);
    await expectNav(page, ["Catalogue", "My sessions", "Labs", "All sessions"], ["Users", "Audit log"]);
    await expectAdminPage(page, "/admin/labs", "Labs");
    await expect(page.getByText(DRAFT_LAB).first(), "instructors see unpublished labs").toBeVisible();
    await expectNoAccess(page, "/admin/users");
    await expectNoAccess(page, "/admin/audit");

    await expectAdminPage(page, "/admin/sessions", "All sessions");
    const row = page.getByRole("row").filter({ hasText: session });
    await row.getByRole("link", { name: "Watch terminal" }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${session}$`));
    const banner = page.getByRole("status").filter({ hasText: "Watching" });
    await expect(banner).toContainText("read only");
    await expect(banner).toContainText(users.learner.id);

    // What the learner types shows up for the instructor …
    await typeInTerminal(learner, "echo shown-to-the-instructor");
    await expectTerminalLine(learner, "shown-to-the-instructor");
    await expectTerminalLine(page, "shown-to-the-instructor");
    // … but the instructor's keys never reach the learner's shell, and the guide offers no actions.
    await typeInTerminal(page, "echo typed-by-the-instructor");
    await typeInTerminal(learner, "echo after-the-instructor");
    await expectTerminalLine(learner, "after-the-instructor");
    expect((await terminalLines(learner)).join("\n")).not.toContain("typed-by-the-instructor");
    await expect(page.getByRole("button", { name: "Check" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Run in / })).toHaveCount(0);
  } finally {
    await learnerContext.close();
    await stopSessionByApi(lea, session);
  }
});

test("an admin sees labs, all sessions, users and the audit log", async ({ page }) => {
  await signIn(page, users.admin.id);
  await expectNav(page, ["Catalogue", "My sessions", ...ADMIN_PAGES.map((p) => p.link)], []);
  for (const p of ADMIN_PAGES) {
    await mainNav(page).getByRole("link", { name: p.link, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${p.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: p.heading, exact: true })).toBeVisible();
  }
  await page.goto("/admin/users");
  for (const u of [users.learner, users.instructor, users.otherLearner]) {
    await expect(page.getByRole("cell", { name: u.id, exact: true }).or(page.getByText(u.id, { exact: true })).first()).toBeVisible();
  }
  await page.goto("/admin/audit");
  await expect(page.getByText("user.created").first()).toBeVisible();
});
