// Browser smoke test and screenshots against a running server (the real one or scripts/mock-server.mjs).
//   node scripts/smoke.mjs [baseUrl] [user] [password] [lab]
// Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM=path); playwright-core never downloads a browser.
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";

const [base = "http://127.0.0.1:8080", user = "lea", password = "password1", lab = "hello-linux"] = process.argv.slice(2);
const out = new URL("../test-results/", import.meta.url).pathname;
await mkdir(out, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const step = (m) => console.log(`• ${m}`);
try {
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: scheme });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base + "/");
    await page.getByLabel("User name").fill(user);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await page.screenshot({ path: `${out}login-error-${scheme}.png` });
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Catalogue" }).waitFor();
    await page.locator(".lab-card").first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}catalogue-${scheme}.png` });
    step(`${scheme}: signed in, catalogue shown`);
    const card = page.locator(".lab-card", { has: page.locator(`h2`) }).filter({ hasText: lab === "hello-linux" ? "Hello" : lab });
    await (await card.count() ? card.first() : page.locator(".lab-card").first()).getByRole("button", { name: "Start" }).click();
    await page.getByRole("progressbar").waitFor();
    await page.screenshot({ path: `${out}start-${scheme}.png` });
    await page.waitForURL(/\/sessions\/[^/]+$/, { timeout: 120_000 });
    await page.locator(".xterm").first().waitFor();
    await page.getByText("Connected").first().waitFor({ timeout: 30_000 });
    await page.locator(".xterm").first().click();
    await page.keyboard.type("echo hi-from-browser\n");
    await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("hi-from-browser"), null, { timeout: 15_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}workspace-${scheme}.png` });
    step(`${scheme}: workspace terminal echoes`);
    if (process.env.MOCK_DROP === "1" || base.includes("8099")) {
      await page.request.get(base + "/__mock/drop-terminals");
      await page.getByText("Connection lost", { exact: true }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${out}reconnecting-${scheme}.png` });
      await page.getByText("Connected", { exact: true }).waitFor({ timeout: 15_000 });
      step(`${scheme}: dropped connection shown and reconnected`);
    }
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    await page.getByRole("button", { name: "Stop session" }).click();
    await page.getByRole("heading", { name: "This session has stopped" }).waitFor();
    await page.getByRole("link", { name: "My sessions" }).first().click();
    await page.getByRole("heading", { name: "My sessions" }).waitFor();
    await page.screenshot({ path: `${out}sessions-${scheme}.png` });
    step(`${scheme}: stopped, my sessions shown`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    await page.close();
  }
  console.log(`ok — screenshots in ${out}`);
} finally {
  await browser.close();
}
