import { useCallback, useContext, useEffect, useState } from "react";
import { api } from "../api";
import type { Session } from "../api/types";
import { AuthContext } from "../auth";
import { countedSessions, quotaSentence } from "../lib/quota";
import { Link, Spinner, StateBadge } from "./ui";

/**
 * Shown instead of the raw 429 when a learner is at their session limit: their sessions, each with Stop, and a way to
 * start the lab once one has stopped.
 */
export function QuotaHelp({ problem, labTitle, onStartAgain }: { problem?: { current?: unknown; max?: unknown }; labTitle: string; onStartAgain: () => void }) {
  const auth = useContext(AuthContext);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [stoppedOne, setStoppedOne] = useState(false);

  const load = useCallback(async () => {
    try {
      const all = await api.sessions();
      setSessions(countedSessions(all, auth?.user.id ?? ""));
    } catch (err) {
      setError(err instanceof Error ? err.message : "Your sessions could not be loaded.");
    }
  }, [auth]);

  useEffect(() => {
    void load();
  }, [load]);

  async function stop(s: Session) {
    setBusy(s.id);
    setError(null);
    try {
      await api.stopSession(s.id);
      setStoppedOne(true);
      await load();
    } catch (err) {
      setError(err instanceof Error ? err.message : "The session could not be stopped.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="quota-help" role="region" aria-label="Session limit reached">
      <p>
        <strong>{stoppedOne ? "There is room now." : quotaSentence(problem)}</strong>{" "}
        {stoppedOne ? `Start ${labTitle} now.` : `Stop one of these to start ${labTitle}.`}
      </p>
      {sessions === null && !error && <Spinner label="Loading your sessions" />}
      {sessions && sessions.length > 0 && (
        <ul className="quota-list" aria-label="Your sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              <span className="quota-lab">{s.lab}</span>
              <StateBadge state={s.state} />
              <span className="quota-actions">
                <Link className="btn btn-ghost btn-sm" href={`/sessions/${encodeURIComponent(s.id)}`} aria-label={`Open ${s.lab} session`}>
                  Open
                </Link>
                <button type="button" className="btn btn-danger-ghost btn-sm" disabled={busy !== null || s.state === "Stopping"} onClick={() => stop(s)} aria-label={`Stop ${s.lab} session`}>
                  {busy === s.id ? "Stopping…" : "Stop"}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="small" role="alert">{error}</p>}
      {stoppedOne && (
        <button type="button" className="btn btn-primary btn-sm" onClick={onStartAgain}>
          Start {labTitle}
        </button>
      )}
    </div>
  );
}
