// The figures the browser tests measure (never assert): written to test-results/timings.json for docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const timingsFile = fileURLToPath(new URL("../test-results/timings.json", import.meta.url));

export type Timings = Record<string, unknown>;

/** Merges one test's figures into timings.json under `key`. */
export function recordTimings(key: string, figures: Timings) {
  const all: Record<string, Timings> = existsSync(timingsFile) ? JSON.parse(readFileSync(timingsFile, "utf8")) : {};
  all[key] = figures;
  writeFileSync(timingsFile, JSON.stringify(all, null, 2) + "\n");
  console.log(`timings ${key}: ${JSON.stringify(figures)}`);
}

export function printTimings() {
  if (!existsSync(timingsFile)) return;
  console.log(`\nMeasured (also in ${timingsFile}):\n${readFileSync(timingsFile, "utf8")}`);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (ms: number) => Math.round(ms);
