import { useState } from "react";
import type { CheckResult, GuideStep } from "../../api/guide";
import { isCheckMethod } from "../../lib/guide";
import { toast } from "../../lib/toasts";
import { ErrorBanner } from "../ui";

export interface StepActions {
  check(stepId: string): Promise<CheckResult>;
  setDone(stepId: string, done: boolean): Promise<void>;
}

interface Props {
  step: GuideStep;
  /** Watching someone else's session: show progress, offer no actions. */
  readOnly: boolean;
  actions: StepActions;
  hintsShown: number;
  onShowHint: () => void;
}

export function StepWidget({ step, readOnly, actions, hintsShown, onShowHint }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The tick box follows a click at once; the server's answer then confirms (or the error undoes) it.
  const [pendingTick, setPendingTick] = useState<boolean | null>(null);
  const [lastRun, setLastRun] = useState<{ passed: boolean; feedback: string[] } | null>(null);
  const p = step.progress;
  const done = p.done;

  const failed = !done && (lastRun ? !lastRun.passed : p.lastCheckPassed === false);
  const feedback = lastRun ? lastRun.feedback : p.lastFeedback ?? [];

  async function runCheck() {
    setBusy(true);
    setError(null);
    try {
      const r = await actions.check(step.id);
      setLastRun({ passed: r.passed, feedback: r.feedback ?? [] });
      if (r.passed) toast(`Step done: ${step.title}`, "success");
    } catch (err) {
      setError(err instanceof Error ? err.message : "The check could not run.");
    } finally {
      setBusy(false);
    }
  }

  async function toggle(next: boolean) {
    setBusy(true);
    setPendingTick(next);
    setError(null);
    try {
      await actions.setDone(step.id, next);
      if (next) toast(`Step done: ${step.title}`, "success");
    } catch (err) {
      setError(err instanceof Error ? err.message : "The step could not be saved.");
    } finally {
      setBusy(false);
      setPendingTick(null);
    }
  }

  const checkboxId = `step-done-${step.id}`;
  return (
    <section className={done ? "step step-is-done" : "step"} aria-label={`Step: ${step.title}`}>
      <div className="step-head">
        <StepIcon done={done} />
        <h3 className="step-title">{step.title}</h3>
      </div>
      <div className="step-body">
        <div className="step-actions">
          {step.hasCheck && !done && !readOnly && (
            <button type="button" className="btn btn-primary btn-sm" onClick={runCheck} disabled={busy} aria-busy={busy}>
              {busy ? "Checking…" : "Check"}
            </button>
          )}
          {!step.hasCheck && !readOnly && (
            <span className="step-manual">
              <input id={checkboxId} type="checkbox" checked={pendingTick ?? done} disabled={busy} onChange={(e) => void toggle(e.target.checked)} />
              <label htmlFor={checkboxId}>Mark as done</label>
            </span>
          )}
          <StepStatus step={step} readOnly={readOnly} />
          {step.hints.length > 0 && hintsShown < step.hints.length && (
            <button type="button" className="btn btn-ghost btn-sm step-hint-btn" onClick={onShowHint}>
              Show hint
            </button>
          )}
        </div>
        {failed && (
          <div className="step-feedback" role="alert">
            <strong>Not done yet</strong>
            {feedback.length > 0 ? (
              <ul aria-label="Feedback">
                {feedback.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            ) : (
              <p>The check did not pass.</p>
            )}
          </div>
        )}
        {error && <ErrorBanner title={step.hasCheck ? "The check could not run" : "Not saved"} message={error} />}
        {hintsShown > 0 && (
          <ol className="step-hints" aria-label="Hints" aria-live="polite">
            {step.hints.slice(0, hintsShown).map((h, i) => (
              <li key={i}>
                <span className="step-hint-label">Hint {i + 1}</span> {h}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function StepStatus({ step, readOnly }: { step: GuideStep; readOnly: boolean }) {
  const p = step.progress;
  if (p.done) {
    const at = p.completedAt ? new Date(p.completedAt) : null;
    const time = at && !Number.isNaN(at.getTime()) ? at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : null;
    return (
      <span className="step-status step-status-done" role="status">
        <strong>Done</strong>
        {time && <span className="muted"> at <time dateTime={p.completedAt}>{time}</time></span>}
        {readOnly && p.method && <span className="muted"> · {isCheckMethod(p.method) ? "checked" : "ticked by hand"}</span>}
      </span>
    );
  }
  const parts: string[] = [];
  if (readOnly) parts.push("Not done yet");
  if (p.checkAttempts > 0) parts.push(`${p.checkAttempts} ${p.checkAttempts === 1 ? "attempt" : "attempts"}`);
  if (parts.length === 0) return null;
  return (
    <span className="step-status muted" role="status">
      {parts.join(" · ")}
    </span>
  );
}

function StepIcon({ done }: { done: boolean }) {
  return (
    <span className={done ? "step-icon step-icon-done" : "step-icon"} aria-hidden="true">
      {done ? (
        <svg width="14" height="14" viewBox="0 0 16 16" fill="none">
          <path d="M3.5 8.5l3 3 6-7" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      ) : null}
    </span>
  );
}
