import { useEffect, useState } from "react";
import { api } from "../api";
import { ErrorBanner, Loading } from "./ui";

export interface WebPortPaneProps {
  sessionId: string;
  node: string;
  port: number;
  portName: string;
  /** The pane loads its page the first time it is shown, not before. */
  active: boolean;
}

/**
 * A node's web port in the workspace: the page in an iframe and a link to open it in a new tab. Both use a URL on the
 * gateway's web-ports origin with a fresh access token, which the gateway trades for a cookie scoped to this port.
 */
export function WebPortPane({ sessionId, node, port, portName, active }: WebPortPaneProps) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [wanted, setWanted] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (active) setWanted(true);
  }, [active]);

  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    setError(null);
    api
      .access(sessionId, { nodes: [node], kinds: ["http"], lifetimeSeconds: 3600 })
      .then((result) => {
        if (cancelled) return;
        const found = result.nodes[node]?.ports?.[portName];
        if (found) setUrl(found);
        else setError(`Node ${node} offers no web port called ${portName}.`);
      })
      .catch((err) => {
        if (!cancelled) setError(err instanceof Error ? err.message : "The web port could not be opened.");
      });
    return () => {
      cancelled = true;
    };
  }, [wanted, sessionId, node, portName, reloads]);

  const title = `${portName} (port ${port}) on ${node}`;
  if (error) {
    return (
      <div className="webport-pane">
        <ErrorBanner title="The web port could not be opened" message={error} onRetry={() => setReloads((r) => r + 1)} />
      </div>
    );
  }
  if (!url) return <div className="webport-pane">{wanted ? <Loading label={`Opening ${title}…`} /> : null}</div>;
  return (
    <div className="webport-pane">
      <div className="webport-bar">
        <span className="webport-title">{title}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setReloads((r) => r + 1)}>
          Reload
        </button>
        <a className="btn btn-secondary btn-sm" href={url} target="_blank" rel="noopener noreferrer">
          Open in new tab
        </a>
      </div>
      <iframe key={reloads} className="webport-frame" src={url} title={title} />
    </div>
  );
}
