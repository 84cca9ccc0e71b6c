import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, personName, usableProgress } from "./format";

describe("admin formatting", () => {
  it("formats times and shows a dash for missing ones", () => {
    expect(formatDateTime(undefined)).toBe("—");
    expect(formatDateTime("not a date")).toBe("—");
    expect(formatDateTime("2026-11-29T10:10:02Z", "en-GB")).toMatch(/2026/);
    expect(formatDate("2026-11-29T10:10:02Z", "en-GB")).toMatch(/2026/);
    expect(formatDate(undefined)).toBe("—");
  });

  it("names people by display name, else by id", () => {
    expect(personName("lea", "Lea Learner")).toBe("Lea Learner");
    expect(personName("lea", "  ")).toBe("lea");
    expect(personName("lea")).toBe("lea");
  });

  it("keeps only progress worth a bar", () => {
    expect(usableProgress(undefined)).toBeUndefined();
    expect(usableProgress(null)).toBeUndefined();
    expect(usableProgress({ done: 0, total: 0 })).toBeUndefined();
    expect(usableProgress({ done: 2, total: 5 })).toEqual({ done: 2, total: 5 });
    expect(usableProgress({ done: 7, total: 5 })).toEqual({ done: 5, total: 5 });
  });
});
