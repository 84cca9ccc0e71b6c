// The other consoles of a node besides its terminal: web ports (and, with desktop nodes and VMs, their desktops).
import { apiAs, expect, signIn, signInQuietly, startLab, stopFromWorkspace, test, users } from "./fixtures";

test("a web port opens in its tab and in a new tab, on its own origin; another learner opens none of it", async ({ page, browser }) => {
  await signIn(page, users.learner.id);
  const sessionId = await startLab(page, "Two hosts");

  // The server node's web port is a tab of its own, showing the node's page in a frame.
  await page.getByRole("tab", { name: /server.*web/ }).click();
  const frame = page.frameLocator("iframe.webport-frame");
  await expect(frame.getByRole("heading", { name: "Hello from server" })).toBeVisible({ timeout: 30_000 });
  const frameUrl = new URL((await page.locator("iframe.webport-frame").getAttribute("src"))!);
  expect(frameUrl.origin, "web ports have an origin of their own").not.toBe(new URL(page.url()).origin);

  // "Open in new tab": the access token is traded for a cookie and leaves the address bar.
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "Open in new tab" }).click()]);
  await expect(popup.getByRole("heading", { name: "Hello from server" })).toBeVisible();
  expect(popup.url()).not.toContain("access_token");
  const portUrl = popup.url();
  await popup.close();

  // Another learner: no access token for the session, and the port's URL refuses them.
  const leo = await apiAs(users.otherLearner.id);
  await expect(leo.call("POST", `/api/sessions/${sessionId}/access`, {})).rejects.toThrow(/403/);
  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  try {
    const otherPage = await other.newPage();
    await signInQuietly(otherPage, users.otherLearner.id);
    const response = await otherPage.goto(portUrl);
    expect(response?.status()).toBe(403);
    await expect(otherPage.getByText("Hello from server")).toHaveCount(0);
  } finally {
    await other.close();
  }

  await stopFromWorkspace(page);
});
