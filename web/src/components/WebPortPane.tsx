import { useEffect, useState, type MouseEvent } from "react";
import { api } from "../api";
import { canFrame, frameFriendlyUrl } from "../lib/webPorts";
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
 * A node's web port in the workspace: the page in a frame and a link to open it in a new tab. Each web port has an
 * origin of its own (a host name per session, node and port); its URL carries a fresh access token, which the gateway
 * exchanges once for a cookie of that host and then drops from the address. So the frame and every new tab get a
 * token of their own.
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
    portUrl(sessionId, node, portName)
      .then((found) => {
        if (!cancelled) setUrl(found);
      })
      .catch((err) => {
        if (!cancelled) setError(err instanceof Error ? err.message : "The web port could not be opened.");
      });
    return () => {
      cancelled = true;
    };
  }, [wanted, sessionId, node, portName, reloads]);

  // A tab of its own with a token of its own: the frame's token was used already.
  const openInNewTab = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const tab = window.open("about:blank", "_blank");
    if (!tab) {
      setError("The browser blocked the new tab; allow pop-ups for this site and try again.");
      return;
    }
    tab.opener = null;
    portUrl(sessionId, node, portName)
      .then((fresh) => tab.location.replace(fresh))
      .catch((err) => {
        tab.close();
        setError(err instanceof Error ? err.message : "The web port could not be opened.");
      });
  };

  const title = `${portName} (port ${port}) on ${node}`;
  if (error) {
    return (
      <div className="webport-pane">
        <ErrorBanner title="The web port could not be opened" message={error} onRetry={() => setReloads((r) => r + 1)} />
      </div>
    );
  }
  if (!url) return <div className="webport-pane">{wanted ? <Loading label={`Opening ${title}…`} /> : null}</div>;
  const framed = canFrame(url, window.location.hostname);
  const better = framed ? null : frameFriendlyUrl(window.location);
  return (
    <div className="webport-pane">
      <div className="webport-bar">
        <span className="webport-title">{title}</span>
        {framed ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setReloads((r) => r + 1)}>
            Reload
          </button>
        ) : null}
        <a className="btn btn-secondary btn-sm" href={url} target="_blank" rel="noopener noreferrer" onClick={openInNewTab}>
          Open in new tab
        </a>
      </div>
      {framed ? (
        // Sandboxed without allow-top-navigation: the node's page (which the learner controls) cannot send the
        // workspace elsewhere. allow-same-origin keeps the page's own origin (its cookie, storage), not the workspace's.
        <iframe
          key={reloads}
          className="webport-frame"
          src={url}
          title={title}
          sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-modals allow-downloads"
          referrerPolicy="no-referrer"
        />
      ) : (
        <div className="webport-notice" role="note">
          <p>
            This page opens in a tab of its own: the browser keeps its sign-in in a frame only when the workspace and the
            web port share a site, which {window.location.hostname} and the web ports do not.
          </p>
          {better ? (
            <p>
              To see it here, open the workspace at <a href={better}>{better}</a>.
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}

async function portUrl(sessionId: string, node: string, portName: string): Promise<string> {
  const result = await api.access(sessionId, { nodes: [node], kinds: ["http"], lifetimeSeconds: 3600 });
  const found = result.nodes[node]?.ports?.[portName];
  if (!found) throw new Error(`Node ${node} offers no web port called ${portName}.`);
  return found;
}
