import { useState } from "react";
import { adminApi, auditActionLabel, auditDetails, AUDIT_MAX, AUDIT_PAGE, KNOWN_AUDIT_ACTIONS, type AuditEntry } from "../../api/admin";
import { EmptyState, ErrorBanner, Loading, Spinner } from "../../components/ui";
import { formatRelative } from "../../lib/time";
import { useNow } from "../../lib/useNow";
import { useDebounced, useLoad } from "./common";
import { formatDateTime } from "./format";

export function AuditPage() {
  const [userInput, setUserInput] = useState("");
  const [sessionInput, setSessionInput] = useState("");
  const [action, setAction] = useState("");
  const [limit, setLimit] = useState(AUDIT_PAGE);
  const user = useDebounced(userInput.trim(), 400);
  const session = useDebounced(sessionInput.trim(), 400);
  const [loadingMore, setLoadingMore] = useState(false);
  const { data: entries, error, reload } = useLoad(
    (signal) => adminApi.audit({ user, session, action, limit }, signal).finally(() => setLoadingMore(false)),
    [user, session, action, limit],
  );
  const now = useNow(30000);
  const filtered = Boolean(userInput.trim() || sessionInput.trim() || action);
  // The API has no cursor: "load more" asks for a larger newest-first window, up to its maximum.
  const mayHaveMore = entries !== null && entries.length >= limit && limit < AUDIT_MAX;

  function resetLimit() {
    setLimit(AUDIT_PAGE);
  }

  return (
    <div className="page admin-page">
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">Who did what and when: sign-ins, user changes, sessions and terminals. Newest first.</p>
        </div>
        <div className="header-actions">
          <button type="button" className="btn btn-secondary" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>

      <form className="filters" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <div className="filter">
          <label htmlFor="a-user">User</label>
          <input id="a-user" type="search" placeholder="User id" value={userInput} autoComplete="off" spellCheck={false} onChange={(e) => (setUserInput(e.target.value), resetLimit())} />
        </div>
        <div className="filter">
          <label htmlFor="a-action">Action</label>
          <select id="a-action" value={action} onChange={(e) => (setAction(e.target.value), resetLimit())}>
            <option value="">All actions</option>
            {KNOWN_AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>{auditActionLabel(a)}</option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="a-session">Session</label>
          <input id="a-session" type="search" placeholder="Session id" value={sessionInput} autoComplete="off" spellCheck={false} onChange={(e) => (setSessionInput(e.target.value), resetLimit())} />
        </div>
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setUserInput("");
              setSessionInput("");
              setAction("");
              resetLimit();
            }}
          >
            Clear filters
          </button>
        )}
      </form>

      {error && <ErrorBanner title="The audit log could not be loaded" message={error} onRetry={reload} />}
      {!error && !entries && <Loading label="Loading the audit log…" />}
      {entries && entries.length === 0 &&
        (filtered ? (
          <EmptyState title="No entry matches">Nothing was recorded for this user, action and session. Change or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="Nothing recorded yet">Sign-ins, user changes and sessions show up here as they happen.</EmptyState>
        ))}
      {entries && entries.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table audit-table">
              <caption className="visually-hidden">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <AuditRow key={e.id} entry={e} now={now} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="list-footer">
            <span className="muted small">
              {entries.length === 1 ? "1 entry" : `${entries.length} entries`}
              {entries.length >= AUDIT_MAX && ` (the newest ${AUDIT_MAX}; filter to find older ones)`}
            </span>
            {mayHaveMore && (
              <button
                type="button"
                className="btn btn-secondary"
                disabled={loadingMore}
                onClick={() => {
                  setLoadingMore(true);
                  setLimit((l) => Math.min(AUDIT_MAX, l + AUDIT_PAGE));
                }}
              >
                {loadingMore && <Spinner label="Loading" />}
                Load more
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function AuditRow({ entry: e, now }: { entry: AuditEntry; now: number }) {
  const details = auditDetails(e.details);
  const failed = e.action.endsWith("failed");
  return (
    <tr>
      <td className="nowrap num" title={formatRelative(e.at, now)}>
        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
      </td>
      <td>{e.userId ? <span className="mono small">{e.userId}</span> : <span className="muted">—</span>}</td>
      <td>
        <span className={failed ? "audit-action audit-action-failed" : "audit-action"}>{auditActionLabel(e.action)}</span>
        <div className="muted small mono">{e.action}</div>
      </td>
      <td>
        {e.target ? <span className="mono small">{e.target}</span> : !e.sessionId && <span className="muted">—</span>}
        {e.sessionId && <div className="muted small mono">session {e.sessionId}</div>}
      </td>
      <td>
        {details.length > 0 ? (
          <ul className="details-list">
            {details.map((d, i) => (
              <li key={i}>
                {d.key && <span className="details-key">{d.key}</span>}
                <span className="details-value">{d.value}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {e.remoteAddress && <div className="muted small">from {e.remoteAddress}</div>}
        {details.length === 0 && !e.remoteAddress && <span className="muted">—</span>}
      </td>
    </tr>
  );
}
