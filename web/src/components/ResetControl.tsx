import { useState } from "react";
import { api } from "../api";
import type { Session } from "../api/types";
import { resetWarning } from "../lib/persist";

const WHOLE = "";

/**
 * The workspace's Reset: pick a machine (or all), choose whether the guide's progress goes too, and confirm a sentence
 * that names what is lost. The nodes' progress shows on their tabs through the session's event stream meanwhile.
 */
export function ResetControl({ session, onReset }: { session: Session; onReset: (s: Session, progressCleared: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const [node, setNode] = useState(WHOLE);
  const [clear, setClear] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function reset() {
    setBusy(true);
    setError(null);
    try {
      const s = await api.resetSession(session.id, { node: node || undefined, progress: clear ? "clear" : "keep" });
      onReset(s, clear);
      setOpen(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The reset failed.");
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="btn btn-ghost" onClick={() => { setOpen(true); setError(null); }}>
        Reset…
      </button>
    );
  }

  const target = node || undefined;
  return (
    <div className="confirm reset-confirm" role="group" aria-label="Confirm reset">
      <label>
        <span className="visually-hidden">Machine to reset</span>
        <select value={node} onChange={(e) => setNode(e.target.value)} disabled={busy} aria-label="Machine to reset">
          <option value={WHOLE}>All machines</option>
          {session.nodes.map((n) => (
            <option key={n.name} value={n.name}>{n.name}</option>
          ))}
        </select>
      </label>
      <label className="reset-progress">
        <input type="checkbox" checked={clear} onChange={(e) => setClear(e.target.checked)} disabled={busy} /> Clear guide progress
      </label>
      <span id="reset-warning">{resetWarning(target, clear)}</span>
      {error && <span role="alert" className="reset-error">{error}</span>}
      <button type="button" className="btn btn-danger btn-sm" onClick={reset} disabled={busy} aria-describedby="reset-warning" autoFocus>
        {busy ? "Resetting…" : target ? `Reset ${target}` : "Reset all"}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOpen(false)} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}
