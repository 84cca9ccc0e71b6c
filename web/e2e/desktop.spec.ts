// A node's graphical desktop in the browser (labs/desktop-basics): noVNC draws the real desktop, keys reach its
// terminal window, the guide's "Paste to NODE desktop" and "Copy desktop clipboard" move text in and out, and another
// learner opens none of it.
import type { BrowserContext, Page } from "@playwright/test";
import {
  apiAs,
  BOOT_TIMEOUT,
  execInNode,
  expect,
  handshakeStatus,
  nodeContainer,
  probeWebSocket,
  signIn,
  signInQuietly,
  startLab,
  startSessionByApi,
  stopFromWorkspace,
  stopSessionByApi,
  test,
  tryExecInNode,
  users,
} from "./fixtures";

const NODE = "workstation";
// What lab-desktop draws (images/lab-desktop: jwmrc and Xresources).
const BACKGROUND = [0x3b, 0x6e, 0x8f];
const XTERM_BACKGROUND = [0x1d, 0x1f, 0x21];
// The first paste block of the guide's second page, with its {{ greeting }} filled in.
const PASTE_COMMAND = 'echo "Hello from the desktop" > ~/hello-desktop.txt';
const X = { user: "learner", env: { DISPLAY: ":0" } };

const desktopRegion = (page: Page) => page.getByRole("region", { name: `Desktop of ${NODE}` });

interface CanvasSample {
  width: number;
  height: number;
  colours: number;
  hasBackground: boolean;
}

/** Samples the desktop canvas on a 32 × 20 grid: its size, how many distinct colours and whether the desktop's background is among them. */
async function sampleCanvas(page: Page): Promise<CanvasSample> {
  return desktopRegion(page)
    .locator("canvas")
    .evaluate((canvas: HTMLCanvasElement, bg: number[]) => {
      const { width, height } = canvas;
      const ctx = canvas.getContext("2d");
      if (!ctx || width === 0 || height === 0) return { width, height, colours: 0, hasBackground: false };
      const data = ctx.getImageData(0, 0, width, height).data;
      const seen = new Set<string>();
      let hasBackground = false;
      for (let gy = 0; gy < 20; gy++) {
        for (let gx = 0; gx < 32; gx++) {
          const x = Math.floor(((gx + 0.5) * width) / 32);
          const y = Math.floor(((gy + 0.5) * height) / 20);
          const i = (y * width + x) * 4;
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          seen.add(`${r},${g},${b}`);
          if (Math.abs(r - bg[0]) <= 4 && Math.abs(g - bg[1]) <= 4 && Math.abs(b - bg[2]) <= 4) hasBackground = true;
        }
      }
      return { width, height, colours: seen.size, hasBackground };
    }, BACKGROUND);
}

/**
 * Where on the page the desktop's terminal window is: the centre of the area drawn in xterm's background colour
 * (above the panel at the bottom, which is nearly as dark), in page coordinates; undefined while none is drawn.
 */
async function xtermCentre(page: Page): Promise<{ x: number; y: number } | undefined> {
  return desktopRegion(page)
    .locator("canvas")
    .evaluate((canvas: HTMLCanvasElement, colour: number[]) => {
      const { width, height } = canvas;
      const ctx = canvas.getContext("2d");
      if (!ctx || width === 0 || height === 0) return undefined;
      const data = ctx.getImageData(0, 0, width, height).data;
      let [minX, minY, maxX, maxY, hits] = [width, height, -1, -1, 0];
      for (let y = 0; y < height - 40; y += 4) {
        for (let x = 0; x < width; x += 4) {
          const i = (y * width + x) * 4;
          if (Math.abs(data[i] - colour[0]) <= 3 && Math.abs(data[i + 1] - colour[1]) <= 3 && Math.abs(data[i + 2] - colour[2]) <= 3) {
            hits++;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
          }
        }
      }
      // A terminal window is hundreds of pixels across: a few stray dark pixels are not one.
      if (hits < 500 || maxX - minX < 100 || maxY - minY < 100) return undefined;
      const rect = canvas.getBoundingClientRect();
      return {
        x: rect.left + (((minX + maxX) / 2) * rect.width) / width,
        y: rect.top + (((minY + maxY) / 2) * rect.height) / height,
      };
    }, XTERM_BACKGROUND);
}

/** Moves through the guide with "Next page" until the page titled `title` is shown. */
async function openGuidePage(page: Page, title: string) {
  const heading = page.locator("#guide-page-title");
  await expect(heading).toBeVisible({ timeout: 30_000 });
  for (let i = 0; i < 10 && (await heading.textContent())?.trim() !== title; i++) {
    await page.getByRole("button", { name: "Next page" }).click();
  }
  await expect(heading).toHaveText(title);
}

test("a desktop node: a real desktop, typing in its terminal, clipboard both ways; another learner opens none of it", async ({ page, context, browser }) => {
  test.setTimeout(300_000);
  await signIn(page, users.learner.id);
  const sessionId = await startLab(page, "Desktop basics");
  const container = nodeContainer(sessionId, NODE);
  const desktopUrl = `${new URL(page.url()).origin.replace(/^http/, "ws")}/gateway/sessions/${encodeURIComponent(sessionId)}/nodes/${NODE}/desktop`;

  await test.step("the desktop tab connects and shows a desktop, not a blank canvas", async () => {
    await page.getByRole("tab", { name: new RegExp(`${NODE}.*desktop`) }).click();
    await expect(page.getByRole("tabpanel", { name: new RegExp(`${NODE}.*desktop`) }).getByText("Connected", { exact: true })).toBeVisible({
      timeout: BOOT_TIMEOUT,
    });
    await expect(desktopRegion(page).locator("canvas")).toBeVisible();
    // Polled: the first frame may still be arriving when the status says Connected.
    await expect
      .poll(
        async () => {
          const s = await sampleCanvas(page);
          return s.hasBackground && s.colours >= 4;
        },
        { timeout: 30_000, message: "the canvas shows the desktop: its background colour and at least 4 distinct colours on a 32 × 20 grid" },
      )
      .toBe(true);
    // The desktop's own size (lab-desktop's 1280x800), scaled to the pane by the viewer.
    expect(await sampleCanvas(page)).toMatchObject({ width: 1280, height: 800 });
  });

  let terminal: { x: number; y: number } | undefined;
  await test.step("typing in the desktop's terminal window runs the command in the node", async () => {
    await expect.poll(async () => (terminal = await xtermCentre(page)), { timeout: 30_000, message: "a terminal window on the desktop" }).toBeDefined();
    await page.mouse.click(terminal!.x, terminal!.y);
    await page.keyboard.type("echo typed-in-desktop > /tmp/typed.txt");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => tryExecInNode(container, ["cat", "/tmp/typed.txt"]), { timeout: 30_000, message: "/tmp/typed.txt written by the desktop's terminal" })
      .toBe("typed-in-desktop\n");
    // Typed by the learner's desktop, not by root.
    expect(execInNode(container, ["stat", "-c", "%U", "/tmp/typed.txt"]).trim()).toBe("learner");
  });

  await test.step("the guide's 'Paste to workstation desktop' lands in the desktop clipboard, and pastes in its terminal", async () => {
    await openGuidePage(page, "Paste into the desktop");
    const block = page.locator("pre.guide-code", { hasText: "hello-desktop.txt" }).first();
    await expect(block).toContainText(PASTE_COMMAND);
    await page.getByRole("button", { name: `Paste to ${NODE} desktop` }).first().click();
    await expect(page.getByRole("tabpanel", { name: new RegExp(`${NODE}.*desktop`) }).getByText("Connected", { exact: true })).toBeVisible();
    // Read while the viewer is connected: Xvnc drops the viewer's text when it disconnects.
    await expect
      .poll(() => tryExecInNode(container, ["xclip", "-o", "-selection", "clipboard"], X), { timeout: 20_000, message: "the desktop's CLIPBOARD" })
      .toBe(PASTE_COMMAND);
    expect(tryExecInNode(container, ["xclip", "-o", "-selection", "primary"], X), "the desktop's PRIMARY (middle button)").toBe(PASTE_COMMAND);

    // As the guide says: Ctrl+Shift+V in the terminal window, then Enter. (Found again: the guide page changed beside it.)
    await expect.poll(async () => (terminal = await xtermCentre(page)), { timeout: 30_000, message: "the terminal window on the desktop" }).toBeDefined();
    await page.mouse.click(terminal!.x, terminal!.y);
    await page.keyboard.press("Control+Shift+V");
    // xterm asks the X server for the clipboard and inserts it when the answer comes, so an Enter typed at once can
    // reach the shell first (an empty line, harmless): press Enter until the pasted command has run.
    await expect
      .poll(async () => {
        await page.keyboard.press("Enter");
        return tryExecInNode(container, ["cat", "/home/learner/hello-desktop.txt"]);
      }, { timeout: 30_000, message: "~/hello-desktop.txt written by the pasted command" })
      .toBe("Hello from the desktop\n");
    const step = page.getByRole("region", { name: "Step: Create hello-desktop.txt from the desktop" });
    await step.getByRole("button", { name: "Check" }).click();
    await expect(step.getByText("Done", { exact: true })).toBeVisible({ timeout: 30_000 });
  });

  await test.step("'Copy desktop clipboard' puts what was copied in the desktop on the browser's clipboard", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
    const copied = `copied-in-the-desktop-${Date.now()}`;
    // xclip keeps serving the selection in the background; its output must not hold podman exec open.
    execInNode(container, ["sh", "-c", `printf %s '${copied}' | xclip -selection clipboard -i >/dev/null 2>&1`], X);
    const copyButton = page.getByRole("button", { name: "Copy desktop clipboard" });
    await expect(copyButton, "the desktop sent its clipboard to the viewer").toHaveAttribute("title", `Desktop clipboard: ${copied}`, { timeout: 20_000 });
    await copyButton.click();
    await expect(desktopRegion(page).getByText("Copied the desktop clipboard.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(copied);
  });

  await test.step("another learner gets no access token and no desktop, not even with a token of his own session", async () => {
    // The probe itself works: the owner's page opens the desktop WebSocket.
    expect(await probeWebSocket(page, desktopUrl, ["binary"]), "lea opens her own desktop").toBe("opened");

    const leo = await apiAs(users.otherLearner.id);
    await expect(leo.call("POST", `/api/sessions/${sessionId}/access`, { kinds: ["desktop"] })).rejects.toThrow(/403/);
    const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
    let leoSession: string | undefined;
    try {
      const otherPage = await other.newPage();
      await signInQuietly(otherPage, users.otherLearner.id);
      await otherPage.goto("/");
      expect(await probeWebSocket(otherPage, desktopUrl, ["binary"]), "leo's login cookie opens lea's desktop").toBe("refused");
      // The same handshakes from Node, where the status can be read: lea's cookie upgrades, leo's is forbidden.
      const cookieOf = async (c: BrowserContext) => (await c.cookies()).map((k) => `${k.name}=${k.value}`).join("; ");
      expect(await handshakeStatus(desktopUrl, { Cookie: await cookieOf(context) }), "lea's handshake").toBe(101);
      expect(await handshakeStatus(desktopUrl, { Cookie: await cookieOf(other) }), "leo's handshake").toBe(403);

      // A valid access token, but for leo's own session: it opens his node and nothing of lea's.
      leoSession = await startSessionByApi(leo, "hello-linux");
      const access = await leo.call<{ token: string; nodes: Record<string, { terminal: string }> }>("POST", `/api/sessions/${leoSession}/access`, {
        kinds: ["terminal"],
      });
      expect(await probeWebSocket(otherPage, access.nodes.linux.terminal), "leo's token opens his own terminal").toBe("opened");
      const withToken = `${desktopUrl}?access_token=${encodeURIComponent(access.token)}`;
      expect(await probeWebSocket(otherPage, withToken, ["binary"]), "leo's token opens lea's desktop").toBe("refused");
      expect(await handshakeStatus(withToken), "a handshake with leo's token for lea's desktop").toBe(403);
    } finally {
      if (leoSession) await stopSessionByApi(leo, leoSession);
      await other.close();
    }
  });

  await stopFromWorkspace(page);
});
