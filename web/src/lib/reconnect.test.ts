import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { checkSessionBeforeReconnect, RECONNECT_CAP_MS, reconnectDelayMs, retryUntil } from "./reconnect";

const session = (state: string) => ({ id: "s1", lab: "hello-linux", userId: "lea", state, createdAt: "", nodes: [] }) as never;

describe("checkSessionBeforeReconnect", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says running or stopped from the session's state", async () => {
    vi.spyOn(api, "session").mockResolvedValueOnce(session("Running")).mockResolvedValueOnce(session("Stopping"));
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "running" });
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "stopped" });
  });

  it("gives up on 401, 403 and 404 with the server's message, but not on other failures", async () => {
    const refused = Object.assign(new Error("This session belongs to another user."), { status: 403 });
    vi.spyOn(api, "session").mockRejectedValueOnce(refused).mockRejectedValueOnce(Object.assign(new Error("Bad gateway"), { status: 502 }));
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "refused", message: "This session belongs to another user." });
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "unknown" });
  });
});

describe("reconnectDelayMs", () => {
  it("starts at a few hundred milliseconds and doubles up to a cap of 1.5 s", () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 50].map((a) => reconnectDelayMs(a, noJitter))).toEqual([300, 600, 1200, 1500, 1500, 1500]);
  });

  it("shortens each wait by at most 30 % at random, never lengthens it", () => {
    expect(reconnectDelayMs(1, () => 0.999999)).toBe(210);
    expect(reconnectDelayMs(9, () => 1)).toBe(1050);
    for (let a = 1; a < 40; a++) {
      const d = reconnectDelayMs(a);
      expect(d).toBeGreaterThanOrEqual(210);
      expect(d).toBeLessThanOrEqual(RECONNECT_CAP_MS);
    }
  });
});

describe("retryUntil", () => {
  afterEach(() => vi.useRealTimers());

  it("retries on the backoff schedule and stops as soon as the probe answers", async () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const start = Date.now();
    const serverBackAt = 4000;
    const probe = vi.fn(async () => {
      calls.push(Date.now() - start);
      return Date.now() - start >= serverBackAt;
    });
    const done = retryUntil(probe, { random: () => 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await done).toBe(true);
    // Tries at 0, 300, 900 (+600), 2100 (+1200), 3600 (+1500), 5100 (+1500): then the server answered.
    expect(calls).toEqual([0, 300, 900, 2100, 3600, 5100]);
    // The server came back at 4 s: the next try followed within the cap.
    expect(calls.at(-1)! - 4000).toBeLessThanOrEqual(RECONNECT_CAP_MS);
  });

  it("reports each wait, treats a throwing probe as not yet, and ends when aborted", async () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    const ctrl = new AbortController();
    const probe = vi.fn(async () => {
      throw new Error("connection refused");
    });
    const done = retryUntil(probe, { random: () => 0, signal: ctrl.signal, onWait: (_a, d) => waits.push(d) });
    await vi.advanceTimersByTimeAsync(1000);
    ctrl.abort();
    expect(await done).toBe(false);
    const tries = probe.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probe.mock.calls.length).toBe(tries);
    expect(waits).toEqual([300, 600, 1200]);
  });
});
