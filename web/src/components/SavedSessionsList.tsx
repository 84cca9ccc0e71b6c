import { useEffect, useState } from "react";
import { api } from "../api";
import type { SavedSession } from "../api/types";
import { savedSummary } from "../lib/persist";
import { navigate } from "../lib/router";
import { useNow } from "../lib/useNow";
import { Spinner } from "./ui";

/** "Continue where you left off": the learner's saved sessions, each with Continue and Delete. Hidden when there are none. */
export function SavedSessionsList() {
  const [saved, setSaved] = useState<SavedSession[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(60000);

  useEffect(() => {
    const ctrl = new AbortController();
    api.savedSessions(ctrl.signal).then(setSaved).catch(() => undefined);
    return () => ctrl.abort();
  }, []);

  async function resume(id: string) {
    setBusy(id);
    setError(null);
    try {
      const session = await api.continueSaved(id);
      navigate(`/sessions/${encodeURIComponent(session.id)}/start`);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The saved session could not be continued.");
      setBusy(null);
    }
  }

  async function remove(id: string) {
    setBusy(id);
    setError(null);
    try {
      await api.deleteSaved(id);
      setSaved((list) => list.filter((s) => s.id !== id));
    } catch (err) {
      setError(err instanceof Error ? err.message : "The saved session could not be deleted.");
    } finally {
      setBusy(null);
    }
  }

  if (saved.length === 0) return null;
  return (
    <section className="saved-sessions" aria-labelledby="saved-title">
      <h2 id="saved-title">Continue where you left off</h2>
      {error && <div className="alert alert-danger alert-inline" role="alert">{error}</div>}
      <ul>
        {saved.map((s) => (
          <li key={s.id} className="saved-session">
            <div>
              <strong>{s.lab}</strong> <span className="muted">{savedSummary(s, now)}</span>
            </div>
            <div className="row">
              <button type="button" className="btn btn-primary btn-sm" onClick={() => resume(s.id)} disabled={busy !== null}>
                {busy === s.id ? <><Spinner label="Continuing" /> Continuing…</> : "Continue"}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => remove(s.id)} disabled={busy !== null} aria-label={`Delete the saved session of ${s.lab}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
