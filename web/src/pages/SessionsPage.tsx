import { useEffect, useState } from "react";
import { api } from "../api";
import type { Session } from "../api/types";
import { EmptyState, ErrorBanner, Link, Loading, StateBadge } from "../components/ui";
import { isActive } from "../lib/session";
import { formatRelative, formatTimeLeft, secondsLeft } from "../lib/time";
import { useNow } from "../lib/useNow";

export function SessionsPage() {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [stopping, setStopping] = useState<string | null>(null);
  const now = useNow(1000);

  useEffect(() => {
    const ctrl = new AbortController();
    const load = () =>
      api
        .sessions(ctrl.signal)
        .then((list) => {
          setSessions([...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
          setError(null);
        })
        .catch((err) => {
          if (!ctrl.signal.aborted) setError(err.message);
        });
    load();
    const t = window.setInterval(load, 10000);
    return () => {
      ctrl.abort();
      window.clearInterval(t);
    };
  }, [attempt]);

  async function stop(id: string) {
    setStopping(id);
    try {
      const s = await api.stopSession(id);
      setSessions((prev) => prev?.map((x) => (x.id === id ? { ...x, ...s } : x)) ?? null);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The session could not be stopped.");
    } finally {
      setStopping(null);
    }
  }

  const active = sessions?.filter((s) => isActive(s.state)) ?? [];
  const past = sessions?.filter((s) => !isActive(s.state)) ?? [];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>My sessions</h1>
          <p className="muted">Labs you have started. Running sessions keep going until you stop them or their time runs out.</p>
        </div>
      </div>
      {error && <ErrorBanner message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {!error && !sessions && <Loading label="Loading sessions…" />}
      {sessions && sessions.length === 0 && (
        <EmptyState title="No sessions yet" action={<Link className="btn btn-primary" href="/">Browse the catalogue</Link>}>
          Start a lab from the catalogue and it shows up here.
        </EmptyState>
      )}
      {active.length > 0 && (
        <section aria-labelledby="active-h">
          <h2 id="active-h" className="section-title">Active</h2>
          <SessionTable sessions={active} now={now} onStop={stop} stopping={stopping} />
        </section>
      )}
      {past.length > 0 && (
        <section aria-labelledby="past-h">
          <h2 id="past-h" className="section-title">Earlier</h2>
          <SessionTable sessions={past} now={now} />
        </section>
      )}
    </div>
  );
}

function SessionTable({ sessions, now, onStop, stopping }: { sessions: Session[]; now: number; onStop?: (id: string) => void; stopping?: string | null }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Lab</th>
            <th scope="col">State</th>
            <th scope="col">Started</th>
            <th scope="col">Time left</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const left = s.state === "Running" ? secondsLeft(s.expiresAt, now) : undefined;
            return (
              <tr key={s.id}>
                <td>
                  <strong>{s.lab}</strong>
                  <div className="muted small mono">{s.id}</div>
                </td>
                <td>
                  <StateBadge state={s.state} />
                  {s.state === "Failed" && s.failureReason && <div className="muted small">{s.failureReason}</div>}
                </td>
                <td>{formatRelative(s.startedAt ?? s.createdAt, now)}</td>
                <td>{s.state === "Running" ? formatTimeLeft(left) : "—"}</td>
                <td className="actions">
                  {s.state === "Running" && <Link className="btn btn-primary btn-sm" href={`/sessions/${encodeURIComponent(s.id)}`}>Open</Link>}
                  {(s.state === "Pending" || s.state === "Starting") && (
                    <Link className="btn btn-secondary btn-sm" href={`/sessions/${encodeURIComponent(s.id)}/start`}>Follow start</Link>
                  )}
                  {onStop && s.state !== "Stopping" && (
                    <button type="button" className="btn btn-danger-ghost btn-sm" disabled={stopping === s.id} onClick={() => onStop(s.id)}>
                      {stopping === s.id ? "Stopping…" : "Stop"}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
