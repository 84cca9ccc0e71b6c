import { describe, expect, it } from "vitest";
import { leaveKeyTracker } from "./terminalKeys";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe("leaveKeyTracker", () => {
  it("keeps Tab for the shell unless Esc came just before", () => {
    const t = leaveKeyTracker();
    expect(t.onKey(key("Tab"))).toBe("pass");
    expect(t.onKey(key("Escape"))).toBe("hold");
    expect(t.onKey(key("Tab"))).toBe("leave");
    // Once out, a later Tab (back in the terminal) completes again.
    expect(t.onKey(key("Tab"))).toBe("pass");
  });

  it("lets Shift+Tab leave backwards (the Shift key down in between keeps the Esc held)", () => {
    const t = leaveKeyTracker();
    t.onKey(key("Escape"));
    expect(t.onKey(key("Shift"))).toBe("pass");
    expect(t.onKey(key("Tab"))).toBe("leave");
  });

  it("sends the held Esc before any other key, so Esc still works in the shell", () => {
    const t = leaveKeyTracker();
    t.onKey(key("Escape"));
    expect(t.onKey(key("a"))).toBe("flush");
    expect(t.onKey(key("Tab"))).toBe("pass");
    t.onKey(key("Escape"));
    expect(t.onKey(key("Escape"))).toBe("flush");
    t.onKey(key("Escape"));
    expect(t.onKey(key("Tab", { ctrlKey: true }))).toBe("flush");
  });

  it("releases a lone Esc when the wait is over, once", () => {
    const t = leaveKeyTracker();
    expect(t.release()).toBe(false);
    t.onKey(key("Escape"));
    expect(t.release()).toBe(true);
    expect(t.release()).toBe(false);
    expect(t.onKey(key("Tab"))).toBe("pass");
  });
});
