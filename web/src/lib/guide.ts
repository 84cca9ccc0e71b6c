import type { Guide, GuideStep, Progress, StepProgress } from "../api/guide";

/** Share of done steps in percent, 0 when there are none. */
export function percent(p: Progress): number {
  if (!(p.total > 0)) return 0;
  return Math.round((Math.min(Math.max(p.done, 0), p.total) / p.total) * 100);
}

/** "2 of 5 steps", "1 of 1 step". */
export function progressText(p: Progress): string {
  return `${p.done} of ${p.total} ${p.total === 1 ? "step" : "steps"}`;
}

export function isComplete(p: Progress): boolean {
  return p.total > 0 && p.done >= p.total;
}

/** A page's progress from its steps as they are now. */
export function countDone(steps: GuideStep[]): Progress {
  return { done: steps.filter((s) => s.progress.done).length, total: steps.length };
}

export function isCheckMethod(method: string | undefined): boolean {
  return method?.toLowerCase() === "check";
}

/**
 * Merges what the server answered for one step into the guide: the step, its page's counts and the overall counts
 * (these come from the server, which counts every page). A step that passed its check stays done even if a later
 * answer says otherwise; a manual tick may be taken back.
 */
export function applyStepProgress(guide: Guide, stepId: string, next: StepProgress, overall?: Progress): Guide {
  let changed = false;
  const pages = guide.pages.map((page) => {
    if (!page.steps.some((s) => s.id === stepId)) return page;
    changed = true;
    const steps = page.steps.map((s) => (s.id === stepId ? { ...s, progress: mergeStep(s, next) } : s));
    return { ...page, steps, progress: countDone(steps) };
  });
  if (!changed) return overall ? { ...guide, progress: overall } : guide;
  return { ...guide, pages, progress: overall ?? sumProgress(pages.map((p) => p.progress)) };
}

function mergeStep(step: GuideStep, next: StepProgress): StepProgress {
  const prev = step.progress;
  if (step.hasCheck && prev.done && !next.done) {
    return { ...next, done: true, completedAt: prev.completedAt, method: prev.method };
  }
  return next;
}

export function sumProgress(list: Progress[]): Progress {
  return list.reduce((a, p) => ({ done: a.done + p.done, total: a.total + p.total }), { done: 0, total: 0 });
}

/** The index of the page with this id, else 0. */
export function pageIndex(guide: Guide, pageId: string | null | undefined): number {
  const i = pageId ? guide.pages.findIndex((p) => p.id === pageId) : -1;
  return i >= 0 ? i : 0;
}

/**
 * The bytes a person would type to run a code block in a shell: each line followed by Enter ("\r", as a terminal
 * sends it). Blank lines around the code are dropped so no empty commands follow; tabs become spaces because a typed tab
 * asks the shell for completion.
 */
export function terminalInput(code: string): string {
  const lines = code.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  if (lines.length === 0) return "";
  return lines.map((l) => `${l}\r`).join("");
}
