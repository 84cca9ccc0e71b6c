import { describe, expect, it } from "vitest";
import { classifyDesktopClose, DESKTOP_MAX_ATTEMPTS, desktopReconnectDelayMs, desktopUrl } from "./desktop";

describe("desktopUrl", () => {
  it("uses the page's origin with ws on http", () => {
    expect(desktopUrl({ protocol: "http:", host: "127.0.0.1:8080" }, "ab12", "desk")).toBe(
      "ws://127.0.0.1:8080/gateway/sessions/ab12/nodes/desk/desktop",
    );
  });

  it("uses wss on https and escapes the path", () => {
    expect(desktopUrl({ protocol: "https:", host: "lab.example.org" }, "a b", "n/1")).toBe(
      "wss://lab.example.org/gateway/sessions/a%20b/nodes/n%2F1/desktop",
    );
  });

  it("asks for watch mode and carries an access token", () => {
    expect(desktopUrl({ protocol: "https:", host: "h" }, "s", "desk", { watch: true })).toBe("wss://h/gateway/sessions/s/nodes/desk/desktop?mode=watch");
    expect(desktopUrl({ protocol: "http:", host: "h" }, "s", "desk", { watch: true, accessToken: "lat_a+b" })).toBe(
      "ws://h/gateway/sessions/s/nodes/desk/desktop?mode=watch&access_token=lat_a%2Bb",
    );
    expect(desktopUrl({ protocol: "http:", host: "h" }, "s", "desk", { watch: false, accessToken: "lat_x" })).toBe(
      "ws://h/gateway/sessions/s/nodes/desk/desktop?access_token=lat_x",
    );
  });
});

describe("desktop reconnect", () => {
  it("backs off from half a second to 15 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(desktopReconnectDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it("treats odd attempt numbers as the first", () => {
    expect(desktopReconnectDelayMs(0)).toBe(500);
    expect(desktopReconnectDelayMs(-3)).toBe(500);
  });

  it("gives up after a minute or so of trying", () => {
    let total = 0;
    for (let a = 1; a <= DESKTOP_MAX_ATTEMPTS; a++) total += desktopReconnectDelayMs(a);
    expect(total).toBeGreaterThan(45_000);
    expect(total).toBeLessThan(120_000);
  });

  it("stops for good when the session stops", () => {
    expect(classifyDesktopClose(4000)).toBe("stopped");
  });

  it("waits for the user after protocol or server errors", () => {
    expect(classifyDesktopClose(1002)).toBe("failed");
    expect(classifyDesktopClose(1011)).toBe("failed");
  });

  it("reconnects after drops, restarts and a slow watcher", () => {
    for (const code of [1000, 1001, 1005, 1006, 4001]) expect(classifyDesktopClose(code)).toBe("reconnect");
  });
});
