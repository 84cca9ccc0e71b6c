import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import type RFB from "@novnc/novnc";
import { checkSessionBeforeReconnect } from "../lib/reconnect";
import { ConnectionBadge, copyText } from "./ui";
import type { Tone } from "../lib/session";
import { classifyDesktopClose, DESKTOP_MAX_ATTEMPTS, DESKTOP_PASTE_NOTE, desktopReconnectDelayMs, desktopUrl } from "../lib/desktop";

type RFBClass = typeof RFB;

type ConnState =
  | { kind: "idle" }
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "reconnecting"; attempt: number; inSeconds: number }
  | { kind: "disconnected"; message: string }
  | { kind: "stopped" };

/** What became of text for the desktop's clipboard. */
export type DesktopPasteResult = "sent" | "queued" | "refused";

/** What other parts of the workspace (the guide's "Paste to NODE desktop") may do with a desktop. */
export interface DesktopHandle {
  /** Puts the text on the desktop's clipboard now, or as soon as the desktop connects; refused when watching. */
  paste(text: string): DesktopPasteResult;
}

export interface DesktopPaneProps {
  sessionId: string;
  node: string;
  /** The viewer (noVNC, a chunk of its own) loads and connects the first time the pane is shown, not before. */
  active: boolean;
  onSessionStopped: () => void;
  /** Watch someone else's desktop: the gateway drops input, and the viewer sends none. */
  watch?: boolean;
  ref?: Ref<DesktopHandle>;
}

// Time for the desktop to announce its extended (UTF-8) clipboard before queued text is sent.
const QUEUED_PASTE_DELAY_MS = 300;

/** A node's desktop: noVNC scaled to the pane, with clipboard in and out, full screen and reconnects. */
export function DesktopPane({ sessionId, node, active, onSessionStopped, watch = false, ref }: DesktopPaneProps) {
  const paneRef = useRef<HTMLDivElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const rfbClassRef = useRef<RFBClass | null>(null);
  const rfbRef = useRef<RFB | null>(null);
  const wsRef = useRef<WebSocket | null>(null);
  const connectedRef = useRef(false);
  const stoppedRef = useRef(false);
  const pendingRef = useRef<string | null>(null);
  const failureRef = useRef<string | null>(null);
  const attemptRef = useRef(0);
  const timerRef = useRef<number | undefined>(undefined);
  const disposedRef = useRef(false);
  const stoppedCb = useRef(onSessionStopped);
  stoppedCb.current = onSessionStopped;
  const [wanted, setWanted] = useState(false);
  const [loads, setLoads] = useState(0);
  const [conn, setConn] = useState<ConnState>({ kind: "idle" });
  const [desktopClip, setDesktopClip] = useState<string | null>(null);
  const [note, setNote] = useState<{ text: string; tone: "ok" | "fail" } | null>(null);
  const [sendText, setSendText] = useState("");
  const [fullScreen, setFullScreen] = useState(false);

  const show = useCallback((text: string, tone: "ok" | "fail" = "ok") => setNote({ text, tone }), []);

  const teardown = useCallback(() => {
    const rfb = rfbRef.current;
    const ws = wsRef.current;
    rfbRef.current = null;
    wsRef.current = null;
    connectedRef.current = false;
    if (!ws || ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED) return;
    try {
      if (rfb) rfb.disconnect();
      else ws.close(1000);
    } catch {
      ws.close(1000);
    }
  }, []);

  const markStopped = useCallback(() => {
    stoppedRef.current = true;
    pendingRef.current = null;
    setConn({ kind: "stopped" });
    stoppedCb.current();
  }, []);

  const connect = useCallback(() => {
    const RFBCtor = rfbClassRef.current;
    const screen = screenRef.current;
    if (!RFBCtor || !screen || disposedRef.current) return;
    window.clearTimeout(timerRef.current);
    teardown();
    failureRef.current = null;
    setConn(attemptRef.current > 0 ? { kind: "reconnecting", attempt: attemptRef.current, inSeconds: 0 } : { kind: "connecting" });

    // The socket is ours, not noVNC's, so its close code (4000: the session stopped) can be read.
    const ws = new WebSocket(desktopUrl(window.location, sessionId, node, { watch }), ["binary"]);
    wsRef.current = ws;
    ws.addEventListener("close", (e) => {
      if (wsRef.current !== ws || disposedRef.current) return;
      wsRef.current = null;
      rfbRef.current = null;
      connectedRef.current = false;
      const outcome = failureRef.current ? "failed" : classifyDesktopClose(e.code);
      if (outcome === "stopped") markStopped();
      else if (outcome === "failed") setConn({ kind: "disconnected", message: failureRef.current || `The desktop connection failed${e.reason ? `: ${e.reason}` : "."}` });
      else void scheduleReconnect();
    });

    let rfb: RFB;
    try {
      rfb = new RFBCtor(screen, ws, { shared: true });
    } catch (err) {
      wsRef.current = null;
      ws.close();
      setConn({ kind: "disconnected", message: err instanceof Error ? err.message : "The desktop viewer could not start." });
      return;
    }
    rfbRef.current = rfb;
    rfb.scaleViewport = true;
    rfb.resizeSession = false;
    rfb.viewOnly = watch;
    rfb.focusOnClick = !watch;
    rfb.background = "#0f1420";
    rfb.addEventListener("connect", () => {
      if (rfbRef.current !== rfb) return;
      attemptRef.current = 0;
      connectedRef.current = true;
      setConn({ kind: "connected" });
      if (pendingRef.current !== null) {
        window.setTimeout(() => {
          const text = pendingRef.current;
          if (text === null || rfbRef.current !== rfb || !connectedRef.current) return;
          pendingRef.current = null;
          rfb.clipboardPasteFrom(text);
          show(DESKTOP_PASTE_NOTE);
        }, QUEUED_PASTE_DELAY_MS);
      }
    });
    rfb.addEventListener("clipboard", (e) => {
      if (rfbRef.current === rfb) setDesktopClip(e.detail.text);
    });
    rfb.addEventListener("securityfailure", (e) => {
      failureRef.current = `The desktop refused the connection${e.detail.reason ? `: ${e.detail.reason}` : "."}`;
    });
    rfb.addEventListener("credentialsrequired", () => {
      failureRef.current = "The desktop asks for a password; lab desktops should not.";
      rfb.disconnect();
    });

    async function scheduleReconnect() {
      attemptRef.current += 1;
      const attempt = attemptRef.current;
      const check = await checkSessionBeforeReconnect(sessionId);
      if (disposedRef.current) return;
      if (check.kind === "stopped") {
        markStopped();
        return;
      }
      if (check.kind === "refused") {
        setConn({ kind: "disconnected", message: check.message ?? "The desktop is not available." });
        return;
      }
      if (attempt > DESKTOP_MAX_ATTEMPTS) {
        setConn({ kind: "disconnected", message: "The connection to the desktop was lost." });
        return;
      }
      const delay = desktopReconnectDelayMs(attempt);
      setConn({ kind: "reconnecting", attempt, inSeconds: Math.round(delay / 1000) });
      timerRef.current = window.setTimeout(connect, delay);
    }
  }, [sessionId, node, watch, teardown, markStopped, show]);

  useEffect(() => {
    if (active) setWanted(true);
  }, [active]);

  useEffect(() => {
    if (!wanted) return;
    disposedRef.current = false;
    let cancelled = false;
    setConn({ kind: "connecting" });
    import("@novnc/novnc")
      .then((m) => {
        if (cancelled) return;
        rfbClassRef.current = m.default;
        connect();
      })
      .catch(() => {
        if (!cancelled) setConn({ kind: "disconnected", message: "The desktop viewer could not be loaded. Check the network and try again." });
      });
    return () => {
      cancelled = true;
      disposedRef.current = true;
      window.clearTimeout(timerRef.current);
      teardown();
    };
  }, [wanted, loads, connect, teardown]);

  useEffect(() => {
    const onChange = () => setFullScreen(document.fullscreenElement !== null && document.fullscreenElement === paneRef.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  useEffect(() => {
    if (!note) return;
    const t = window.setTimeout(() => setNote(null), note.tone === "ok" ? 4000 : 6000);
    return () => window.clearTimeout(t);
  }, [note]);

  const paste = useCallback(
    (text: string): DesktopPasteResult => {
      if (watch || stoppedRef.current) return "refused";
      const rfb = rfbRef.current;
      if (rfb && connectedRef.current) {
        rfb.clipboardPasteFrom(text);
        show(DESKTOP_PASTE_NOTE);
        return "sent";
      }
      pendingRef.current = text;
      // Given up or waiting to retry: a learner asking for the desktop is a good reason to try again now.
      if (!wsRef.current && rfbClassRef.current) {
        attemptRef.current = 0;
        connect();
      }
      return "queued";
    },
    [watch, show, connect],
  );

  useImperativeHandle(ref, () => ({ paste }), [paste]);

  const reconnectNow = () => {
    stoppedRef.current = false;
    attemptRef.current = 0;
    if (rfbClassRef.current) connect();
    else {
      setWanted(true);
      setLoads((n) => n + 1);
    }
  };

  const toggleFullScreen = async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await paneRef.current?.requestFullscreen();
    } catch {
      show("The browser did not allow full screen.", "fail");
    }
  };

  const copyOut = async () => {
    if (desktopClip === null) {
      show("Nothing copied in the desktop yet: select text there or copy it (Ctrl+C, Ctrl+Shift+C in the terminal).", "fail");
      return;
    }
    const ok = await copyText(desktopClip);
    show(ok ? "Copied the desktop clipboard." : "Copying failed: the browser blocked the clipboard.", ok ? "ok" : "fail");
  };

  const submit = () => {
    if (!sendText) return;
    const result = paste(sendText);
    if (result === "queued") show("The text goes to the desktop clipboard once it connects.");
    if (result !== "refused") setSendText("");
  };

  return (
    <div ref={paneRef} className={watch ? "desktop-pane desktop-watch" : "desktop-pane"}>
      <div className="terminal-toolbar desktop-toolbar">
        <StatusBadge conn={conn} />
        {watch && <span className="badge badge-warning">Read only</span>}
        {!watch && <span className="muted small hint">Click the desktop to type in it</span>}
        <div className="toolbar-actions">
          <button type="button" className="btn btn-ghost btn-sm" onClick={copyOut} title={desktopClip ? clipPreview(desktopClip) : undefined}>
            Copy desktop clipboard
          </button>
          {document.fullscreenEnabled !== false && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={toggleFullScreen} aria-pressed={fullScreen}>
              {fullScreen ? "Exit full screen" : "Full screen"}
            </button>
          )}
          <button type="button" className="btn btn-ghost btn-sm" onClick={reconnectNow}>
            Reconnect
          </button>
        </div>
      </div>
      {!watch && (
        <form
          className="desktop-send"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <textarea
            className="desktop-send-text"
            aria-label="Text for the desktop clipboard"
            placeholder="Text to put on the desktop's clipboard (Ctrl+Enter sends)"
            rows={1}
            value={sendText}
            onChange={(e) => setSendText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              }
            }}
          />
          <button type="submit" className="btn btn-secondary btn-sm" disabled={!sendText}>
            Send to desktop
          </button>
        </form>
      )}
      <div className="desktop-body" role="region" aria-label={`Desktop of ${node}`}>
        <div ref={screenRef} className="desktop-screen" />
        <div className="desktop-toast-slot" role="status">
          {note && <span className={note.tone === "fail" ? "desktop-toast desktop-toast-fail" : "desktop-toast"}>{note.text}</span>}
        </div>
        {(conn.kind === "reconnecting" || conn.kind === "disconnected" || conn.kind === "stopped") && (
          <div className={`terminal-overlay overlay-${conn.kind}`} role="status">
            {conn.kind === "reconnecting" && (
              <>
                <strong>Connection lost</strong>
                <p>
                  Reconnecting{conn.inSeconds > 0 ? ` in ${conn.inSeconds} s` : "…"} (attempt {conn.attempt} of {DESKTOP_MAX_ATTEMPTS}). The desktop
                  and its windows are kept.
                </p>
              </>
            )}
            {conn.kind === "disconnected" && (
              <>
                <strong>Disconnected</strong>
                <p>{conn.message} Use Reconnect above to try again.</p>
              </>
            )}
            {conn.kind === "stopped" && (
              <>
                <strong>Session stopped</strong>
                <p>This session is no longer running. Start the lab again from the catalogue.</p>
              </>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function clipPreview(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return `Desktop clipboard: ${oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine}`;
}

function StatusBadge({ conn }: { conn: ConnState }) {
  const map: Record<ConnState["kind"], [Tone, string]> = {
    idle: ["info", "Connecting…"],
    connecting: ["info", "Connecting…"],
    connected: ["success", "Connected"],
    reconnecting: ["warning", "Reconnecting…"],
    disconnected: ["danger", "Disconnected"],
    stopped: ["neutral", "Session stopped"],
  };
  const [tone, label] = map[conn.kind];
  return <ConnectionBadge tone={tone} label={label} />;
}
