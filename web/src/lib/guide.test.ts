import { describe, expect, it } from "vitest";
import type { Guide, StepProgress } from "../api/guide";
import { applyStepProgress, countDone, isComplete, pageIndex, percent, progressText, terminalInput } from "./guide";

const open: StepProgress = { done: false, checkAttempts: 0 };

function guide(): Guide {
  return {
    title: "Hello, Linux",
    progress: { done: 1, total: 4 },
    pages: [
      {
        id: "welcome",
        title: "Welcome",
        html: "",
        progress: { done: 1, total: 1 },
        steps: [{ id: "look", title: "Look around", hasCheck: false, hints: [], progress: { done: true, method: "Manual", checkAttempts: 0 } }],
      },
      {
        id: "files",
        title: "Files",
        html: "",
        progress: { done: 0, total: 3 },
        steps: [
          { id: "make-folder", title: "Make a folder", hasCheck: true, hints: ["mkdir"], progress: open },
          { id: "read", title: "Read", hasCheck: false, hints: [], progress: open },
          { id: "perm", title: "Permissions", hasCheck: true, hints: [], progress: open },
        ],
      },
    ],
  };
}

describe("progress maths", () => {
  it("gives percent and text", () => {
    expect(percent({ done: 1, total: 4 })).toBe(25);
    expect(percent({ done: 2, total: 3 })).toBe(67);
    expect(percent({ done: 0, total: 0 })).toBe(0);
    expect(percent({ done: 9, total: 3 })).toBe(100);
    expect(progressText({ done: 2, total: 5 })).toBe("2 of 5 steps");
    expect(progressText({ done: 1, total: 1 })).toBe("1 of 1 step");
    expect(isComplete({ done: 2, total: 2 })).toBe(true);
    expect(isComplete({ done: 0, total: 0 })).toBe(false);
  });

  it("counts done steps", () => {
    expect(countDone(guide().pages[0].steps)).toEqual({ done: 1, total: 1 });
    expect(countDone([])).toEqual({ done: 0, total: 0 });
  });

  it("advances the page and takes the overall counts from the server after a passed check", () => {
    const before = guide();
    const after = applyStepProgress(before, "make-folder", { done: true, method: "Check", completedAt: "2026-01-01T10:00:00Z", checkAttempts: 2 }, { done: 2, total: 4 });
    expect(after.progress).toEqual({ done: 2, total: 4 });
    expect(after.pages[1].progress).toEqual({ done: 1, total: 3 });
    expect(after.pages[1].steps[0].progress.done).toBe(true);
    expect(after.pages[0]).toBe(before.pages[0]);
    expect(before.pages[1].steps[0].progress.done).toBe(false);
  });

  it("keeps a checked step done when a later answer says otherwise", () => {
    const done = applyStepProgress(guide(), "make-folder", { done: true, method: "Check", completedAt: "2026-01-01T10:00:00Z", checkAttempts: 1 }, { done: 2, total: 4 });
    const again = applyStepProgress(done, "make-folder", { done: false, checkAttempts: 2, lastCheckPassed: false, lastFeedback: ["gone"] }, { done: 2, total: 4 });
    const p = again.pages[1].steps[0].progress;
    expect(p.done).toBe(true);
    expect(p.completedAt).toBe("2026-01-01T10:00:00Z");
    expect(p.checkAttempts).toBe(2);
    expect(again.pages[1].progress.done).toBe(1);
  });

  it("lets a manual tick be taken back", () => {
    const ticked = applyStepProgress(guide(), "read", { done: true, method: "manual", checkAttempts: 0 }, { done: 2, total: 4 });
    expect(ticked.pages[1].progress.done).toBe(1);
    const unticked = applyStepProgress(ticked, "read", { done: false, checkAttempts: 0 }, { done: 1, total: 4 });
    expect(unticked.pages[1].progress.done).toBe(0);
    expect(unticked.progress).toEqual({ done: 1, total: 4 });
  });

  it("sums the pages when the server sent no overall counts", () => {
    const after = applyStepProgress(guide(), "perm", { done: true, checkAttempts: 1 });
    expect(after.progress).toEqual({ done: 2, total: 4 });
  });

  it("finds the remembered page or falls back to the first", () => {
    expect(pageIndex(guide(), "files")).toBe(1);
    expect(pageIndex(guide(), "gone")).toBe(0);
    expect(pageIndex(guide(), null)).toBe(0);
  });
});

describe("terminalInput", () => {
  it("types each line followed by Enter", () => {
    expect(terminalInput("mkdir -p ~/projects\ncd ~/projects\n")).toBe("mkdir -p ~/projects\rcd ~/projects\r");
  });
  it("handles CRLF, blank lines around the code and tabs", () => {
    expect(terminalInput("\r\n\necho a\r\n\r\necho b\r\n\n  \n")).toBe("echo a\r\recho b\r");
    expect(terminalInput("if true; then\n\techo x\nfi")).toBe("if true; then\r    echo x\rfi\r");
  });
  it("sends nothing for empty code", () => {
    expect(terminalInput("")).toBe("");
    expect(terminalInput("\n \n")).toBe("");
  });
});
