import { describe, expect, it } from "vitest";
import { resetWarning, savedSummary } from "./persist";

describe("resetWarning", () => {
  it("names the node and says its terminals close", () => {
    const text = resetWarning("server", false);
    expect(text).toContain("running on server is lost");
    expect(text).toContain("open terminals close");
    expect(text).toContain("guide progress is kept");
  });

  it("names every machine and the cleared progress for a whole reset", () => {
    const text = resetWarning(undefined, true);
    expect(text).toContain("all machines");
    expect(text).toContain("guide progress is cleared");
  });
});

describe("savedSummary", () => {
  it("says how long ago and how many steps", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    expect(savedSummary({ createdAt: "2026-12-02T11:57:00Z", stepsDone: 2 }, now)).toBe("Saved 3 min ago · 2 steps done");
    expect(savedSummary({ createdAt: "2026-12-02T12:00:00Z", stepsDone: 1 }, now)).toBe("Saved just now · 1 step done");
  });
});
