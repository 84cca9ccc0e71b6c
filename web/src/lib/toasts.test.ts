import { afterEach, describe, expect, it, vi } from "vitest";
import { currentToasts, dismissToast, toast, TOAST_MS } from "./toasts";

describe("toasts", () => {
  afterEach(() => {
    for (const t of currentToasts()) dismissToast(t.id);
    vi.useRealTimers();
  });

  it("shows a toast for a while, without repeating the same message", () => {
    vi.useFakeTimers();
    const a = toast("Step done: Create the projects folder", "success");
    expect(toast("Step done: Create the projects folder", "success")).toBe(a);
    toast("5 minutes left", "warning");
    expect(currentToasts().map((t) => t.message)).toEqual(["Step done: Create the projects folder", "5 minutes left"]);
    vi.advanceTimersByTime(TOAST_MS);
    expect(currentToasts()).toEqual([]);
  });

  it("keeps at most four at once and can be dismissed", () => {
    for (let i = 0; i < 6; i++) toast(`t${i}`);
    expect(currentToasts().map((t) => t.message)).toEqual(["t2", "t3", "t4", "t5"]);
    dismissToast(currentToasts()[0].id);
    expect(currentToasts()).toHaveLength(3);
  });
});
