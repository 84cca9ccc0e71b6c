import { describe, expect, it } from "vitest";
import { parsePoolSize, poolSummary, type PoolStatus } from "./pools";

const base: PoolStatus = { lab: "x", size: 2, ready: 1, starting: 1, published: true, consecutiveFailures: 0 };

describe("pools", () => {
  it("summarises a pool", () => {
    expect(poolSummary(base)).toBe("1 of 2 ready, 1 starting");
    expect(poolSummary({ ...base, starting: 0, ready: 2 })).toBe("2 of 2 ready");
    expect(poolSummary({ ...base, size: 0, ready: 0, starting: 0 })).toBe("off");
  });

  it("accepts whole numbers from 0 to 100 only", () => {
    expect(parsePoolSize(" 3 ")).toBe(3);
    expect(parsePoolSize("0")).toBe(0);
    expect(parsePoolSize("101")).toMatch(/0 to 100/);
    expect(parsePoolSize("-1")).toMatch(/whole number/);
    expect(parsePoolSize("1.5")).toMatch(/whole number/);
    expect(parsePoolSize("")).toMatch(/whole number/);
  });
});
