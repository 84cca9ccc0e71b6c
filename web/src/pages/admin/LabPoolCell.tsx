import { useEffect, useState } from "react";
import { parsePoolSize, poolsApi, poolSummary, POOL_MAX, type PoolStatus } from "../../api/pools";
import { Badge, Spinner } from "../../components/ui";
import { problemItems } from "../../api/admin";

/**
 * A lab's warm pool in the Labs admin table: how many sessions are ready, failures and back-off, and (for admins) an
 * editor of the size that overrides the lab file's pool.size.
 */
export function LabPoolCell({ lab, canEdit, published }: { lab: string; canEdit: boolean; published: boolean }) {
  const [pool, setPool] = useState<PoolStatus | null>(null);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    poolsApi.get(lab, abort.signal).then(setPool, () => setPool(null));
    return () => abort.abort();
  }, [lab, published]);

  async function save(size: number | null) {
    setSaving(true);
    setError(null);
    try {
      setPool(await poolsApi.set(lab, size));
      setEditing(false);
    } catch (err) {
      setError(problemItems(err).summary);
    } finally {
      setSaving(false);
    }
  }

  if (!pool) return <span className="muted">—</span>;
  const source = pool.overrideSize != null ? "admin setting" : pool.labFileSize != null ? "lab file" : null;
  return (
    <div className="pool-cell">
      <span className="nowrap">{poolSummary(pool)}</span>
      {source && <div className="muted small">size from {source}</div>}
      {pool.notPoolable && <div className="muted small">Cannot be pooled: {pool.notPoolable}</div>}
      {pool.consecutiveFailures > 0 && (
        <div className="small" title={pool.lastFailureDetail ?? undefined}>
          <Badge tone="danger">{pool.consecutiveFailures} failed</Badge> {pool.lastFailureReason}
          {pool.nextAttemptAt && <span className="muted"> — next try {new Date(pool.nextAttemptAt).toLocaleTimeString()}</span>}
        </div>
      )}
      {canEdit && !editing && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => { setText(String(pool.overrideSize ?? pool.labFileSize ?? 0)); setEditing(true); }}>
          Pool size…
        </button>
      )}
      {canEdit && editing && (
        <form
          className="pool-edit"
          onSubmit={(e) => {
            e.preventDefault();
            const size = parsePoolSize(text);
            if (typeof size === "string") setError(size);
            else void save(size);
          }}
        >
          <label className="small" htmlFor={`pool-${lab}`}>Sessions kept started for {lab}</label>
          <input id={`pool-${lab}`} type="number" min={0} max={POOL_MAX} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `pool-${lab}-error` : undefined} />
          <button type="submit" className="btn btn-primary btn-sm" disabled={saving}>{saving ? <Spinner label="Saving" /> : "Save"}</button>
          {pool.overrideSize != null && (
            <button type="button" className="btn btn-secondary btn-sm" disabled={saving} onClick={() => void save(null)}>Use lab file's</button>
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => { setEditing(false); setError(null); }}>Cancel</button>
          {error && <div id={`pool-${lab}-error`} role="alert" className="small">{error}</div>}
        </form>
      )}
    </div>
  );
}
