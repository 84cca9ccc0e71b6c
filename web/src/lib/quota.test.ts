import { describe, expect, it } from "vitest";
import type { Session } from "../api/types";
import { ApiError } from "../api/client";
import { countedSessions, isPerUserQuota, quotaSentence } from "./quota";

const s = (id: string, userId: string, state: Session["state"], createdAt: string): Session => ({ id, lab: "hello-linux", userId, state, createdAt, nodes: [] });

describe("quota", () => {
  it("recognises the learner's own limit, not the server's total or other 429s", () => {
    expect(isPerUserQuota(new ApiError("x", 429, { limit: "perUser", current: 2, max: 2 }))).toBe(true);
    expect(isPerUserQuota(new ApiError("x", 429, { limit: "total" }))).toBe(false);
    expect(isPerUserQuota(new ApiError("x", 429))).toBe(false);
    expect(isPerUserQuota(new ApiError("x", 409, { limit: "perUser" }))).toBe(false);
    expect(isPerUserQuota(null)).toBe(false);
  });

  it("lists the learner's sessions that count, oldest first", () => {
    const list = [
      s("b", "lea", "Running", "2026-12-03T10:05:00Z"),
      s("a", "lea", "Paused", "2026-12-03T10:00:00Z"),
      s("c", "lea", "Stopped", "2026-12-03T09:00:00Z"),
      s("d", "leo", "Running", "2026-12-03T09:00:00Z"),
      s("e", "lea", "Failed", "2026-12-03T09:00:00Z"),
    ];
    expect(countedSessions(list, "lea").map((x) => x.id)).toEqual(["a", "b"]);
  });

  it("says how many with the server's figures", () => {
    expect(quotaSentence({ current: 2, max: 2 })).toBe("You already have 2 of 2 sessions allowed at once.");
    expect(quotaSentence(undefined)).toBe("You already have as many sessions as you may run at once.");
  });
});
