import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative, formatTimeLeft, secondsLeft, timeToast } from "./time";

describe("formatTimeLeft", () => {
  it.each([
    [0, "0 s"],
    [-5, "0 s"],
    [45, "45 s"],
    [59.9, "59 s"],
    [60, "1 min"],
    [125, "2 min 05 s"],
    [599, "9 min 59 s"],
    [600, "10 min"],
    [3581, "59 min"],
    [3600, "1 h 00 min"],
    [3900, "1 h 05 min"],
    [7322, "2 h 02 min"],
  ])("%s s → %s", (s, text) => expect(formatTimeLeft(s)).toBe(text));

  it("says when there is no limit", () => {
    expect(formatTimeLeft(undefined)).toBe("No limit");
    expect(formatTimeLeft(null)).toBe("No limit");
    expect(formatTimeLeft(Number.NaN)).toBe("No limit");
  });
});

describe("formatDuration", () => {
  it.each([
    [3600, "1 h"],
    [5400, "1 h 30 min"],
    [2700, "45 min"],
    [30, "30 s"],
    [7260, "2 h 1 min"],
  ])("%s s → %s", (s, text) => expect(formatDuration(s)).toBe(text));

  it("is undefined without a usable limit", () => {
    expect(formatDuration(undefined)).toBeUndefined();
    expect(formatDuration(0)).toBeUndefined();
    expect(formatDuration(-10)).toBeUndefined();
  });
});

describe("secondsLeft", () => {
  const now = Date.parse("2026-11-29T10:00:00Z");
  it("counts down to expiresAt and stops at zero", () => {
    expect(secondsLeft("2026-11-29T10:59:41+00:00", now)).toBe(3581);
    expect(secondsLeft("2026-11-29T09:59:00Z", now)).toBe(0);
  });
  it("is undefined without an expiry", () => {
    expect(secondsLeft(undefined, now)).toBeUndefined();
    expect(secondsLeft("not a date", now)).toBeUndefined();
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-11-29T10:00:00Z");
  it("reads naturally", () => {
    expect(formatRelative("2026-11-29T09:59:50Z", now)).toBe("just now");
    expect(formatRelative("2026-11-29T09:55:00Z", now)).toBe("5 min ago");
    expect(formatRelative("2026-11-29T07:00:00Z", now)).toBe("3 h ago");
    expect(formatRelative(undefined, now)).toBe("—");
  });
});

describe("timeToast", () => {
  it("warns at 5 minutes and at 1 minute, with the same text while in each band", () => {
    expect(timeToast(undefined)).toBeUndefined();
    expect(timeToast(301)).toBeUndefined();
    expect(timeToast(300)).toBe("5 minutes left in this session.");
    expect(timeToast(61)).toBe("5 minutes left in this session.");
    expect(timeToast(60)).toMatch(/^1 minute left/);
    expect(timeToast(0)).toBeUndefined();
  });
});
