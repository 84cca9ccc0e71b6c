// The other consoles of a node besides its terminal: web ports (and, with desktop nodes and VMs, their desktops).
import { apiAs, baseUrl, expect, signIn, startLab, startSessionByApi, stopFromWorkspace, stopSessionByApi, test, users } from "./fixtures";

// The workspace at lab.localhost (Chromium resolves *.localhost to loopback): its web ports get the default host names
// {session}-{node}-{port}.ports.lab.localhost, the same site, so their frames keep their cookies.
const labLocalhost = () => baseUrl().replace("127.0.0.1", "lab.localhost");

test("a web port opens in its tab and in a new tab, on an origin of its own; another learner opens none of it", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: labLocalhost() });
  const page = await context.newPage();
  await signIn(page, users.learner.id);
  const sessionId = await startLab(page, "Two hosts");

  // The server node's web port is a tab of its own, showing the node's page in a frame.
  await page.getByRole("tab", { name: /server.*web/ }).click();
  const frame = page.frameLocator("iframe.webport-frame");
  await expect(frame.getByRole("heading", { name: "Hello from server" })).toBeVisible({ timeout: 30_000 });
  const frameUrl = new URL((await page.locator("iframe.webport-frame").getAttribute("src"))!);
  expect(frameUrl.origin, "web ports have an origin of their own").not.toBe(new URL(page.url()).origin);
  expect(frameUrl.hostname).toBe(`${sessionId}-server-80.ports.lab.localhost`);

  // "Open in new tab": a token of its own, traded for a cookie, and gone from the address bar.
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "Open in new tab" }).click()]);
  await expect(popup.getByRole("heading", { name: "Hello from server" })).toBeVisible();
  expect(popup.url()).not.toContain("access_token");
  const portUrl = popup.url();
  await popup.close();

  // Another learner: no access token for the session, and the port's origin lets nobody in without one.
  const leo = await apiAs(users.otherLearner.id);
  await expect(leo.call("POST", `/api/sessions/${sessionId}/access`, {})).rejects.toThrow(/403/);
  const other = await browser.newContext({ baseURL: labLocalhost() });
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, users.otherLearner.id);
    const response = await otherPage.goto(portUrl);
    expect(response?.status()).toBe(401);
    await expect(otherPage.getByText("Hello from server")).toHaveCount(0);
  } finally {
    await other.close();
  }

  await stopFromWorkspace(page);
  await context.close();
});

test("at an address of another site the workspace offers web ports in a new tab instead of a frame", async ({ page }) => {
  await signIn(page, users.learner.id);
  await startLab(page, "Two hosts");
  await page.getByRole("tab", { name: /server.*web/ }).click();
  await expect(page.getByRole("note")).toContainText("opens in a tab of its own");
  await expect(page.getByRole("link", { name: /lab\.localhost/ })).toBeVisible();
  await expect(page.locator("iframe.webport-frame")).toHaveCount(0);
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "Open in new tab" }).click()]);
  await expect(popup.getByRole("heading", { name: "Hello from server" })).toBeVisible({ timeout: 30_000 });
  await popup.close();
  await stopFromWorkspace(page);
});

test("a web port's page cannot read another session's web port, even in a browser signed in to both", async ({ browser }) => {
  const lea = await apiAs(users.learner.id);
  const leo = await apiAs(users.otherLearner.id);
  const ian = await apiAs(users.instructor.id);
  const sessions = [await startSessionByApi(lea, "two-hosts"), await startSessionByApi(leo, "two-hosts")];
  // The instructor may watch both: one browser holds the access cookies of both ports.
  const context = await browser.newContext();
  try {
    const pages = [];
    for (const id of sessions) {
      const access = await ian.call<{ nodes: Record<string, { ports?: Record<string, string> }> }>("POST", `/api/sessions/${id}/access`, { nodes: ["server"], kinds: ["http"] });
      const p = await context.newPage();
      await p.goto(access.nodes.server.ports!.web);
      await expect(p.getByText(`Session ${id}`)).toBeVisible({ timeout: 30_000 });
      pages.push(p);
    }
    const otherOrigin = new URL(pages[1].url()).origin;
    expect(new URL(pages[0].url()).origin).not.toBe(otherOrigin);

    // From the first port's page: a credentialed fetch of the second is refused by the browser (another origin, no
    // CORS), and a frame of it cannot be looked into.
    const attempt = await pages[0].evaluate(async (target) => {
      const results: string[] = [];
      try {
        const r = await fetch(target + "/", { credentials: "include" });
        results.push("read:" + (await r.text()));
      } catch {
        results.push("fetch refused");
      }
      const frame = document.createElement("iframe");
      frame.src = target + "/";
      document.body.append(frame);
      await new Promise((ok) => frame.addEventListener("load", ok, { once: true }));
      try {
        results.push("frame:" + frame.contentDocument?.body?.innerText);
      } catch {
        results.push("frame refused");
      }
      return results;
    }, otherOrigin);
    expect(attempt[0]).toBe("fetch refused");
    expect(attempt[1]).not.toContain(sessions[1]);
  } finally {
    await context.close();
    await stopSessionByApi(lea, sessions[0]);
    await stopSessionByApi(leo, sessions[1]);
  }
});
