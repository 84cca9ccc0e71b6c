import type { Progress } from "../../api/guide";
import { isComplete, percent, progressText } from "../../lib/guide";

/**
 * A progress bar in steps (aria-valuenow = done, aria-valuemax = total) with a visible "2 of 5 steps".
 * `label` is its accessible name ("Overall progress", "Page progress"); `caption` a shorter visible one.
 */
export function ProgressMeter({ label, caption, progress }: { label: string; caption: string; progress: Progress }) {
  const text = progressText(progress);
  return (
    <div className="meter">
      <span className="meter-caption">{caption}</span>
      <div
        className={isComplete(progress) ? "progress progress-success" : "progress progress-info"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={Math.min(progress.done, progress.total)}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: `${percent(progress)}%` }} />
      </div>
      <span className="meter-text">{text}</span>
    </div>
  );
}
