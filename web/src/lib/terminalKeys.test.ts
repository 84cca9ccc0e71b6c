import { describe, expect, it } from "vitest";
import { leaveKeyTracker } from "./terminalKeys";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe("leaveKeyTracker", () => {
  it("keeps Tab for the shell unless Esc came just before", () => {
    const t = leaveKeyTracker();
    expect(t(key("Tab"))).toBe("pass");
    expect(t(key("Escape"))).toBe("pass");
    expect(t(key("Tab"))).toBe("leave");
    // Once out, a later Tab (back in the terminal) completes again.
    expect(t(key("Tab"))).toBe("pass");
  });

  it("lets Shift+Tab leave backwards (the Shift key down in between keeps it armed)", () => {
    const t = leaveKeyTracker();
    t(key("Escape"));
    expect(t(key("Shift"))).toBe("pass");
    expect(t(key("Tab"))).toBe("leave");
  });

  it("disarms on any other key, and ignores Ctrl+Tab or Alt+Tab", () => {
    const t = leaveKeyTracker();
    t(key("Escape"));
    t(key("a"));
    expect(t(key("Tab"))).toBe("pass");
    t(key("Escape"));
    expect(t(key("Tab", { ctrlKey: true }))).toBe("pass");
    t(key("Escape"));
    expect(t(key("Tab", { altKey: true }))).toBe("pass");
  });
});
