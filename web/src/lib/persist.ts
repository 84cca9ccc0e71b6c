/** What a reset loses, in one sentence the confirmation shows before anything happens. */
export function resetWarning(node: string | undefined, clearProgress: boolean): string {
  const what = node
    ? `Every file you changed and every program running on ${node} is lost; ${node} starts again as the lab set it up, and its open terminals close.`
    : "Every file you changed and every program running on all machines is lost; they start again as the lab set them up, and open terminals close.";
  const progress = clearProgress ? " Your guide progress is cleared." : " Your guide progress is kept.";
  return `${what}${progress} Folders the lab keeps for you stay as they are.`;
}

/** "Saved 3 min ago · 2 of the guide's steps done" style line of a saved session. */
export function savedSummary(saved: { createdAt: string; stepsDone: number }, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(saved.createdAt)) / 60000));
  const when = minutes < 1 ? "just now" : minutes < 60 ? `${minutes} min ago` : minutes < 1440 ? `${Math.round(minutes / 60)} h ago` : new Date(saved.createdAt).toLocaleDateString();
  const steps = saved.stepsDone === 1 ? "1 step done" : `${saved.stepsDone} steps done`;
  return `Saved ${when} · ${steps}`;
}
