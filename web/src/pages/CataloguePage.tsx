import { useEffect, useMemo, useState } from "react";
import { api } from "../api";
import type { LabDetails, LabSummary } from "../api/types";
import { QuotaHelp } from "../components/QuotaHelp";
import { SavedSessionsList } from "../components/SavedSessionsList";
import { isPerUserQuota } from "../lib/quota";
import { EmptyState, ErrorBanner, Loading, Spinner } from "../components/ui";
import { navigate } from "../lib/router";
import { formatDuration } from "../lib/time";

export function CataloguePage() {
  const [labs, setLabs] = useState<LabSummary[] | null>(null);
  const [details, setDetails] = useState<Record<string, LabDetails | "unknown">>({});
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [tag, setTag] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    api
      .labs(ctrl.signal)
      .then((list) => {
        setLabs(list);
        // Expected durations live in each lab's limits; fetch them without holding up the page.
        for (const lab of list) {
          api
            .lab(lab.name, ctrl.signal)
            .then((d) => setDetails((prev) => ({ ...prev, [lab.name]: d })))
            .catch(() => {
              if (!ctrl.signal.aborted) setDetails((prev) => ({ ...prev, [lab.name]: "unknown" }));
            });
        }
      })
      .catch((err) => {
        if (!ctrl.signal.aborted) setError(err.message);
      });
    return () => ctrl.abort();
  }, [attempt]);

  const tags = useMemo(() => {
    const all = new Set<string>();
    labs?.forEach((l) => l.tags?.forEach((t) => all.add(t)));
    return [...all].sort();
  }, [labs]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (labs ?? []).filter(
      (l) =>
        (!tag || l.tags?.some((t) => t.toLowerCase() === tag.toLowerCase())) &&
        (!q || [l.name, l.title, l.description].some((s) => s?.toLowerCase().includes(q))),
    );
  }, [labs, query, tag]);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Catalogue</h1>
          <p className="muted">Pick a lab and start it: your own machines are ready in seconds.</p>
        </div>
        {labs && labs.length > 0 && (
          <input className="search" type="search" placeholder="Search labs" aria-label="Search labs" value={query} onChange={(e) => setQuery(e.target.value)} />
        )}
      </div>
      <SavedSessionsList />
      {tags.length > 0 && (
        <div className="tag-filter" role="group" aria-label="Filter by tag">
          <button type="button" className="chip" aria-pressed={tag === null} onClick={() => setTag(null)}>All</button>
          {tags.map((t) => (
            <button key={t} type="button" className="chip" aria-pressed={tag === t} onClick={() => setTag(tag === t ? null : t)}>
              {t}
            </button>
          ))}
        </div>
      )}
      {error && <ErrorBanner title="The catalogue could not be loaded" message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {!error && !labs && <Loading label="Loading labs…" />}
      {labs && labs.length === 0 && (
        <EmptyState title="No labs yet">There are no labs published for you. Ask your instructor to publish one.</EmptyState>
      )}
      {labs && labs.length > 0 && shown.length === 0 && (
        <EmptyState
          title="No lab matches"
          action={<button type="button" className="btn btn-secondary" onClick={() => { setQuery(""); setTag(null); }}>Clear filters</button>}
        >
          Try another word or tag.
        </EmptyState>
      )}
      <ul className="card-grid">
        {shown.map((lab) => (
          <li key={lab.name}>
            <LabCard lab={lab} details={details[lab.name]} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function LabCard({ lab, details: loaded }: { lab: LabSummary; details?: LabDetails | "unknown" }) {
  const details = loaded === "unknown" ? undefined : loaded;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [quota, setQuota] = useState<{ current?: unknown; max?: unknown } | null>(null);
  const duration = formatDuration(details?.limits?.durationSeconds);
  const nodeCount = details?.nodes?.length;

  async function start() {
    setBusy(true);
    setError(null);
    setQuota(null);
    try {
      const session = await api.startSession(lab.name);
      navigate(`/sessions/${encodeURIComponent(session.id)}/start`);
    } catch (err) {
      if (isPerUserQuota(err)) {
        setQuota(err.problem ?? {});
        setBusy(false);
        return;
      }
      setError(err instanceof Error ? err.message : "The lab could not be started.");
      setBusy(false);
    }
  }

  const titleId = `lab-${lab.name}-title`;
  return (
    <article className="card lab-card" aria-labelledby={titleId}>
      <div className="card-body">
        <h2 id={titleId}>{lab.title || lab.name}</h2>
        <div className="meta">
          {duration ? (
            <span className="meta-item" title="Expected duration">
              <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round"><circle cx="8" cy="8" r="6.2" /><path d="M8 4.5V8l2.3 1.5" /></svg>
              <span className="visually-hidden">Expected duration:</span> {duration}
            </span>
          ) : details ? <span>No time limit</span> : loaded === "unknown" ? null : <span className="skeleton" aria-hidden="true" />}
          {nodeCount !== undefined && <span>{nodeCount} machine{nodeCount === 1 ? "" : "s"}</span>}
          {!lab.published && <span className="badge badge-warning">Draft</span>}
        </div>
        <p className="description">{lab.description || "No description."}</p>
        {lab.tags && lab.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {lab.tags.map((t) => (
              <li key={t} className="tag">{t}</li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <div className="alert alert-danger alert-inline" role="alert">
          <div>{error.split("\n").map((l, i) => <p key={i}>{l}</p>)}</div>
        </div>
      )}
      {quota && <QuotaHelp problem={quota} labTitle={lab.title || lab.name} onStartAgain={start} />}
      <div className="card-footer">
        <button type="button" className="btn btn-primary" onClick={start} disabled={busy} aria-describedby={titleId}>
          {busy ? <><Spinner label="Starting" /> Starting…</> : "Start"}
        </button>
      </div>
    </article>
  );
}
