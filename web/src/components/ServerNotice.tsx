import { useEffect, useState } from "react";
import { retryUntil } from "../lib/reconnect";
import { onServerStatus, reportServer, serverStatus, type ServerStatus } from "../lib/serverStatus";

/**
 * A page-wide notice while the server does not answer (a restart, the network): it probes /healthz on the reconnect
 * back-off and says so when the server is back; terminals reconnect at that moment.
 */
export function ServerNotice() {
  const [status, setStatus] = useState<ServerStatus>(serverStatus);
  const [back, setBack] = useState(false);

  useEffect(() => onServerStatus(setStatus), []);

  useEffect(() => {
    if (status !== "away") return;
    const ctrl = new AbortController();
    void retryUntil(
      async () => {
        const r = await fetch("/healthz", { cache: "no-store", signal: ctrl.signal });
        return r.ok;
      },
      { signal: ctrl.signal },
    ).then((ok) => {
      if (!ok) return;
      setBack(true);
      reportServer("up");
    });
    return () => ctrl.abort();
  }, [status]);

  useEffect(() => {
    if (!back) return;
    const t = window.setTimeout(() => setBack(false), 4000);
    return () => window.clearTimeout(t);
  }, [back]);

  return (
    <div className="server-notice-region" role="status" aria-live="polite">
      {status === "away" ? (
        <div className="server-notice server-notice-away">
          <strong>The server is not answering.</strong> Reconnecting… your machines keep running.
        </div>
      ) : back ? (
        <div className="server-notice server-notice-back">The server is back.</div>
      ) : null}
    </div>
  );
}
