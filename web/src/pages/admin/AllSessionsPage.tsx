import { useMemo, useState } from "react";
import { adminApi, type AdminSession, type SessionFilter } from "../../api/admin";
import type { SessionState } from "../../api/types";
import { useAuth } from "../../auth";
import { EmptyState, ErrorBanner, Link, Loading, StateBadge } from "../../components/ui";
import { isComplete, percent, progressText } from "../../lib/guide";
import { isActive, stateLabel } from "../../lib/session";
import { formatRelative, formatTimeLeft, secondsLeft } from "../../lib/time";
import { useNow } from "../../lib/useNow";
import { ConfirmDialog, Notice, useDebounced, useLoad } from "./common";
import { personName, usableProgress } from "./format";

const STATES: SessionState[] = ["Pending", "Starting", "Running", "Paused", "Stopping", "Stopped", "Failed"];
const REFRESH_MS = 5000;

export function AllSessionsPage() {
  const { user: me } = useAuth();
  const [state, setState] = useState<SessionState | "">("");
  const [lab, setLab] = useState("");
  const [userInput, setUserInput] = useState("");
  const user = useDebounced(userInput.trim(), 400);
  const filter: SessionFilter = { state: state || undefined, lab: lab || undefined, user: user || undefined };
  const { data: sessions, setData: setSessions, error, reload } = useLoad(
    (signal) => adminApi.sessions(filter, signal),
    [state, lab, user],
    REFRESH_MS,
  );
  const { data: labs } = useLoad((signal) => adminApi.labs(signal), []);
  const [toStop, setToStop] = useState<AdminSession | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow(1000);

  const sorted = useMemo(
    () =>
      [...(sessions ?? [])].sort((a, b) => Number(isActive(b.state)) - Number(isActive(a.state)) || b.createdAt.localeCompare(a.createdAt)),
    [sessions],
  );
  const knownUsers = useMemo(() => [...new Set((sessions ?? []).map((s) => s.userId))].sort(), [sessions]);
  const running = sessions?.filter((s) => s.state === "Running").length ?? 0;
  const filtered = Boolean(state || lab || userInput.trim());

  return (
    <div className="page admin-page">
      <div className="page-header">
        <div>
          <h1>All sessions</h1>
          <p className="muted">
            Every learner's sessions with their guide progress; refreshed every few seconds.
            {sessions && !filtered && ` ${running} running now.`}
          </p>
        </div>
      </div>

      <form className="filters" role="search" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
        <div className="filter">
          <label htmlFor="f-state">State</label>
          <select id="f-state" value={state} onChange={(e) => setState(e.target.value as SessionState | "")}>
            <option value="">All states</option>
            {STATES.map((s) => (
              <option key={s} value={s}>{stateLabel(s)}</option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="f-lab">Lab</label>
          <select id="f-lab" value={lab} onChange={(e) => setLab(e.target.value)}>
            <option value="">All labs</option>
            {(labs ?? [])
              .slice()
              .sort((a, b) => (a.title ?? a.name).localeCompare(b.title ?? b.name))
              .map((l) => (
                <option key={l.name} value={l.name}>{l.title ?? l.name}</option>
              ))}
            {lab && labs && !labs.some((l) => l.name === lab) && <option value={lab}>{lab}</option>}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="f-user">Learner</label>
          <input id="f-user" type="search" placeholder="User id" value={userInput} onChange={(e) => setUserInput(e.target.value)} list="f-user-ids" autoComplete="off" spellCheck={false} />
          <datalist id="f-user-ids">
            {knownUsers.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </div>
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setState("");
              setLab("");
              setUserInput("");
            }}
          >
            Clear filters
          </button>
        )}
      </form>

      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {error && <ErrorBanner title={sessions ? "The list could not be refreshed" : "The sessions could not be loaded"} message={error} onRetry={reload} />}
      {!error && !sessions && <Loading label="Loading sessions…" />}
      {sessions && sessions.length === 0 &&
        (filtered ? (
          <EmptyState title="No session matches">No session has this state, lab and learner. Change or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="No sessions yet">When learners start labs, their sessions and progress show up here.</EmptyState>
        ))}
      {sorted.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Sessions of all learners</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Lab</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Time left</th>
                <th scope="col" className="col-progress">Progress</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((s) => (
                <SessionRow key={s.id} session={s} now={now} own={s.userId === me.id} onStop={() => setToStop(s)} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {toStop && (
        <ConfirmDialog
          title={`Stop ${personName(toStop.userId, toStop.userDisplayName)}'s session?`}
          confirmLabel="Stop session"
          errorTitle="The session was not stopped"
          busyLabel="Stopping…"
          onClose={() => setToStop(null)}
          onConfirm={async () => {
            const stopped = await adminApi.stopSession(toStop.id);
            setSessions((prev) => prev?.map((x) => (x.id === toStop.id ? { ...x, ...stopped } : x)) ?? null);
            setNotice(`The session of ${toStop.lab} for ${personName(toStop.userId, toStop.userDisplayName)} was stopped.`);
            setToStop(null);
          }}
        >
          <p>
            The session of <strong>{toStop.lab}</strong> for <strong>{personName(toStop.userId, toStop.userDisplayName)}</strong> stops now: its machines and
            everything on them are removed, and the learner's terminals close.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function SessionRow({ session: s, now, own, onStop }: { session: AdminSession; now: number; own: boolean; onStop: () => void }) {
  const left = s.state === "Running" ? secondsLeft(s.expiresAt, now) : undefined;
  const progress = usableProgress(s.progress);
  const who = personName(s.userId, s.userDisplayName);
  return (
    <tr>
      <th scope="row" className="cell-main">
        <strong>{who}</strong>
        {own && <span className="role-tag">you</span>}
        {s.pooled && <span className="role-tag">warm pool</span>}
        {s.claimedAt && <div className="muted small">from the warm pool</div>}
        {s.userDisplayName && <div className="muted small mono">{s.userId}</div>}
      </th>
      <td>
        <span className="nowrap">{s.lab}</span>
        <div className="muted small mono" title="Session id">{s.id}</div>
      </td>
      <td>
        <StateBadge state={s.state} />
        {s.state === "Failed" && (s.failureDetail || s.failureReason) && (
          <div className="muted small clamp-2" title={s.failureDetail ?? s.failureReason}>{s.failureDetail ?? s.failureReason}</div>
        )}
      </td>
      <td className="nowrap" title={s.startedAt ?? s.createdAt}>{formatRelative(s.startedAt ?? s.createdAt, now)}</td>
      <td className="nowrap num">{s.state === "Running" ? formatTimeLeft(left) : "—"}</td>
      <td className="col-progress">
        {progress ? (
          <div className="progress-cell">
            <div
              className={isComplete(progress) ? "progress progress-success" : "progress progress-info"}
              role="progressbar"
              aria-label={`Progress of ${s.userId}`}
              aria-valuemin={0}
              aria-valuemax={progress.total}
              aria-valuenow={progress.done}
              aria-valuetext={progressText(progress)}
            >
              <div className="progress-fill" style={{ width: `${percent(progress)}%` }} />
            </div>
            <span className="progress-cell-text">{progressText(progress)}</span>
          </div>
        ) : (
          <span className="muted small">No guide</span>
        )}
      </td>
      <td className="actions">
        {s.state === "Running" && (
          <Link className="btn btn-primary btn-sm" href={`/sessions/${encodeURIComponent(s.id)}`}>
            {own ? "Open" : "Watch terminal"}
          </Link>
        )}
        {s.state !== "Stopped" && s.state !== "Failed" && s.state !== "Stopping" && (
          <button type="button" className="btn btn-danger-ghost btn-sm" onClick={onStop}>
            Stop
          </button>
        )}
      </td>
    </tr>
  );
}
