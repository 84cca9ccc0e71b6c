import { useEffect, useState } from "react";
import { api } from "../api";
import { ErrorBanner, Link, Loading, ProgressBar, StateBadge } from "../components/ui";
import { navigate } from "../lib/router";
import { handOver } from "../lib/sessionHandoff";
import { loadWorkspace } from "../lib/workspaceChunk";
import { startProgress } from "../lib/session";
import { useSessionStream } from "../lib/useSessionStream";

export function StartPage({ id }: { id: string }) {
  const { session, error, loadError } = useSessionStream(id);
  const [stopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<string | null>(null);
  const [title, setTitle] = useState<string | null>(null);
  const labName = session?.lab;

  // The lab's title for the page (the session only names the lab's id).
  useEffect(() => {
    if (!labName) return;
    const ctrl = new AbortController();
    api
      .lab(labName, ctrl.signal)
      .then((l) => setTitle(l.title || null))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [labName]);

  // Fetch the workspace's code (terminal included) while the machines start, so it opens at once when they run.
  useEffect(() => {
    void loadWorkspace().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (session?.state !== "Running") return;
    let cancelled = false;
    const open = () => {
      if (cancelled) return;
      handOver(session);
      navigate(`/sessions/${encodeURIComponent(id)}`, true);
    };
    loadWorkspace().then(open, open);
    return () => {
      cancelled = true;
    };
  }, [session?.state, id]);

  if (!session) {
    if (loadError) return <div className="page narrow"><ErrorBanner title="The session could not be loaded" message={loadError} /></div>;
    return <div className="page narrow"><Loading label="Connecting to your session…" /></div>;
  }

  const progress = startProgress(session);
  const failed = session.state === "Failed";
  const stopped = session.state === "Stopped" || session.state === "Stopping";
  const running = session.state === "Running";
  const heading = failed ? "The lab could not start" : stopped ? "This session was stopped" : running ? "Your lab is ready" : "Starting your lab…";

  async function cancel() {
    setStopping(true);
    setStopError(null);
    try {
      await api.stopSession(id);
      navigate("/sessions");
    } catch (err) {
      setStopError(err instanceof Error ? err.message : "The session could not be stopped.");
      setStopping(false);
    }
  }

  return (
    <div className="page narrow">
      <div className="card start-card">
        <div className="card-body">
          <p className="eyebrow">{title ?? session.lab}</p>
          <h1 aria-live="polite">{heading}</h1>
          <ProgressBar value={progress} label="Start progress" tone={failed ? "danger" : running ? "success" : "info"} />
          <p className="muted small progress-caption">
            {running ? "All machines are running. Opening the workspace…" : failed ? "" : stopped ? "Nothing is running any more." : `${progress}% — this usually takes a few seconds.`}
          </p>
          {failed && <ErrorBanner title="What went wrong" message={session.failureReason || "A machine failed to start."} />}
          {failed && session.failureDetail && <p className="muted small mono">Detail for instructors: {session.failureDetail}</p>}
          {(error || loadError) && !failed && <p className="muted small">{loadError ?? error} Retrying…</p>}
          <ul className="node-list" aria-label="Machines">
            {session.nodes.map((n) => (
              <li key={n.name}>
                <span className="node-name">{n.name}</span>
                {n.message && <span className="muted small node-message">{n.message}</span>}
                {n.detail && <span className="muted small mono node-message">Detail for instructors: {n.detail}</span>}
                <StateBadge state={n.state} />
              </li>
            ))}
          </ul>
          {stopError && <ErrorBanner message={stopError} />}
        </div>
        <div className="card-footer">
          {running && <Link className="btn btn-primary" href={`/sessions/${encodeURIComponent(id)}`}>Open workspace</Link>}
          {(failed || stopped) && <Link className="btn btn-primary" href="/">Back to the catalogue</Link>}
          {!running && !failed && !stopped && (
            <button type="button" className="btn btn-secondary" onClick={cancel} disabled={stopping}>
              {stopping ? "Cancelling…" : "Cancel start"}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
