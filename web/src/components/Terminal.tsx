import { useCallback, useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from "react";
import { Terminal as XTerm } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import "@xterm/xterm/css/xterm.css";
import { checkSessionBeforeReconnect, RECONNECT_GIVE_UP_MS, reconnectDelayMs } from "../lib/reconnect";
import { onServerStatus } from "../lib/serverStatus";
import { ESC_HOLD_MS, LEAVE_TERMINAL_HINT, leaveKeyTracker } from "../lib/terminalKeys";
import { ConnectionBadge, copyText } from "./ui";
import type { Tone } from "../lib/session";
import { classifyClose, terminalUrl } from "../lib/terminalUrl";

type ConnState =
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "reconnecting"; attempt: number; inSeconds: number }
  | { kind: "disconnected"; message: string }
  | { kind: "exited" }
  | { kind: "stopped" }
  | { kind: "failed"; message: string };

const encoder = new TextEncoder();

/** What other parts of the workspace (the guide's "Run in NODE") may do with a terminal. */
export interface TerminalHandle {
  /** Types the text into the shell as keystrokes; false when the terminal is not connected or only watching. */
  sendInput(text: string): boolean;
  focus(): void;
}

export interface TerminalPaneProps {
  sessionId: string;
  node: string;
  active: boolean;
  onSessionStopped: () => void;
  /** Watch someone else's terminal: read only, follows the learner's size (docs/gateway.md, "Watch mode"). */
  watch?: boolean;
  ref?: Ref<TerminalHandle>;
}

export function TerminalPane({ sessionId, node, active, onSessionStopped, watch = false, ref }: TerminalPaneProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<XTerm | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const wsRef = useRef<WebSocket | null>(null);
  const attemptRef = useRef(0);
  // When the connection was lost: automatic reconnects stop RECONNECT_GIVE_UP_MS later.
  const lostAtRef = useRef<number | null>(null);
  const [fullScreen, setFullScreen] = useState(false);
  const timerRef = useRef<number | undefined>(undefined);
  const disposedRef = useRef(false);
  const stoppedCb = useRef(onSessionStopped);
  stoppedCb.current = onSessionStopped;
  const [conn, setConn] = useState<ConnState>({ kind: "connecting" });
  const [note, setNote] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<string | null>(null);
  // In watch mode the view takes the learner's size instead of fitting the pane.
  const learnerSizeRef = useRef(false);
  const helpId = `terminal-help-${useId().replace(/:/g, "")}`;

  const send = useCallback((data: string | Uint8Array) => {
    const ws = wsRef.current;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(data);
  }, []);

  const fit = useCallback(() => {
    const host = hostRef.current;
    if (!host || host.clientWidth === 0 || host.clientHeight === 0 || learnerSizeRef.current) return;
    try {
      fitRef.current?.fit();
    } catch {
      /* not measurable yet */
    }
  }, []);

  const connect = useCallback(() => {
    const term = termRef.current;
    if (!term || disposedRef.current) return;
    window.clearTimeout(timerRef.current);
    wsRef.current?.close();
    setConn(attemptRef.current > 0 ? { kind: "reconnecting", attempt: attemptRef.current, inSeconds: 0 } : { kind: "connecting" });
    setWaiting(null);
    const url = terminalUrl(window.location, sessionId, node, term.cols, term.rows) + (watch ? "&mode=watch" : "");
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    wsRef.current = ws;
    let sawExit = false;
    let errorMessage: string | undefined;

    ws.onopen = () => {
      if (wsRef.current !== ws) return;
      attemptRef.current = 0;
      lostAtRef.current = null;
      setConn({ kind: "connected" });
      // No focus here: the terminal takes the keyboard only when the learner goes to it (click, tab, Run).
      if (!watch) ws.send(JSON.stringify({ type: "resize", cols: term.cols, rows: term.rows }));
    };
    ws.onmessage = (e) => {
      if (typeof e.data === "string") {
        try {
          const msg = JSON.parse(e.data) as { type?: string; message?: string; state?: string; cols?: number; rows?: number };
          if (msg.type === "exit") sawExit = true;
          if (msg.type === "error") errorMessage = msg.message;
          if (watch && msg.type === "watch") setWaiting(msg.state === "waiting" ? msg.message || "Waiting for the learner to open a terminal." : null);
          if (watch && msg.type === "size" && msg.cols && msg.rows && msg.cols > 0 && msg.rows > 0) {
            learnerSizeRef.current = true;
            term.resize(Math.min(1000, msg.cols), Math.min(1000, msg.rows));
          }
        } catch {
          /* ignore unknown control messages */
        }
        return;
      }
      term.write(new Uint8Array(e.data as ArrayBuffer));
    };
    ws.onclose = (e) => {
      if (wsRef.current !== ws || disposedRef.current) return;
      wsRef.current = null;
      const outcome = classifyClose(e.code, sawExit);
      if (outcome === "stopped") {
        term.write("\r\n\x1b[2m[The session has stopped.]\x1b[0m\r\n");
        setConn({ kind: "stopped" });
        stoppedCb.current();
        return;
      }
      if (outcome === "exited") {
        term.write("\r\n\x1b[2m[The shell has ended.]\x1b[0m\r\n");
        setConn({ kind: "exited" });
        return;
      }
      if (outcome === "failed") {
        setConn({ kind: "failed", message: errorMessage || "The terminal stopped working." });
        return;
      }
      if (outcome === "reset") term.write("\r\n\x1b[2m[This machine is being reset — a new shell opens once it runs again.]\x1b[0m\r\n");
      void scheduleReconnect(outcome === "reset");
    };

    async function scheduleReconnect(quiet = false) {
      attemptRef.current += 1;
      const attempt = attemptRef.current;
      lostAtRef.current ??= Date.now();
      const check = await checkSessionBeforeReconnect(sessionId);
      if (disposedRef.current) return;
      if (check.kind === "stopped") {
        setConn({ kind: "stopped" });
        stoppedCb.current();
        return;
      }
      if (check.kind === "refused") {
        setConn({ kind: "disconnected", message: check.message ?? "The terminal is not available." });
        return;
      }
      if (Date.now() - lostAtRef.current > RECONNECT_GIVE_UP_MS) {
        setConn({ kind: "disconnected", message: "The connection to the machine was lost." });
        return;
      }
      const delay = reconnectDelayMs(attempt);
      // The server came back while this waited for the check: a connection is already opening.
      if (wsRef.current) return;
      setConn({ kind: "reconnecting", attempt, inSeconds: Math.round(delay / 1000) });
      if (attempt === 1 && !quiet) termRef.current?.write("\r\n\x1b[2m[Connection lost — reconnecting with a new shell…]\x1b[0m\r\n");
      timerRef.current = window.setTimeout(connect, delay);
    }
  }, [sessionId, node, watch]);

  useEffect(() => {
    disposedRef.current = false;
    const term = new XTerm({
      fontFamily: 'ui-monospace, "JetBrains Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
      fontSize: 14,
      scrollback: 5000,
      allowProposedApi: false,
      disableStdin: watch,
      cursorBlink: !watch,
      theme: {
        background: "#0f1420",
        foreground: "#e6e9ef",
        cursor: "#a5b4fc",
        selectionBackground: "#3b4a7a",
      },
    });
    const fitAddon = new FitAddon();
    term.loadAddon(fitAddon);
    termRef.current = term;
    fitRef.current = fitAddon;
    term.open(hostRef.current!);
    fit();

    const leaveKey = leaveKeyTracker();
    let escTimer: number | undefined;
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown") return true;
      // Esc then Tab: xterm leaves the Tab alone and the browser moves focus on (no keyboard trap). A lone Esc reaches
      // the shell at the next key or after ESC_HOLD_MS.
      const action = leaveKey.onKey(e);
      if (action === "hold") {
        window.clearTimeout(escTimer);
        escTimer = window.setTimeout(() => {
          if (leaveKey.release()) send(encoder.encode("\x1b"));
        }, ESC_HOLD_MS);
        return false;
      }
      if (action === "leave" || action === "flush") window.clearTimeout(escTimer);
      if (action === "leave") return false;
      if (action === "flush") send(encoder.encode("\x1b"));
      const mod = e.ctrlKey && e.shiftKey;
      if (mod && e.code === "KeyC") {
        const sel = term.getSelection();
        if (sel) void copyText(sel);
        e.preventDefault();
        return false;
      }
      if (mod && e.code === "KeyV") {
        e.preventDefault();
        navigator.clipboard?.readText().then((t) => t && term.paste(t)).catch(() => setNote("Paste with Ctrl+V or your browser's menu."));
        return false;
      }
      return true;
    });
    const dataSub = term.onData((d) => send(encoder.encode(d)));
    const binSub = term.onBinary((d) => {
      const bytes = new Uint8Array(d.length);
      for (let i = 0; i < d.length; i++) bytes[i] = d.charCodeAt(i) & 0xff;
      send(bytes);
    });
    const resizeSub = term.onResize(({ cols, rows }) => {
      if (!watch) send(JSON.stringify({ type: "resize", cols, rows }));
    });
    const ro = new ResizeObserver(() => fit());
    ro.observe(hostRef.current!);
    term.textarea?.setAttribute("aria-describedby", helpId);
    // The server is back (the page-wide probe saw it): reconnect now rather than at the next back-off step.
    const offServer = onServerStatus((status) => {
      if (status === "up" && !wsRef.current && lostAtRef.current !== null && !disposedRef.current) connect();
    });

    connect();

    return () => {
      disposedRef.current = true;
      window.clearTimeout(timerRef.current);
      offServer();
      ro.disconnect();
      dataSub.dispose();
      binSub.dispose();
      resizeSub.dispose();
      const ws = wsRef.current;
      wsRef.current = null;
      ws?.close(1000);
      term.dispose();
      termRef.current = null;
    };
  }, [connect, fit, send, watch, helpId]);

  useImperativeHandle(
    ref,
    () => ({
      sendInput(text: string) {
        const ws = wsRef.current;
        if (watch || !ws || ws.readyState !== WebSocket.OPEN || text.length === 0) return false;
        // Binary frames, exactly like keystrokes from xterm's onData.
        ws.send(encoder.encode(text));
        return true;
      },
      focus() {
        termRef.current?.focus();
      },
    }),
    [watch],
  );

  // Focus follows the learner: when they switch to this tab, not when the workspace first opens.
  const wasActive = useRef(active);
  useEffect(() => {
    if (active) fit();
    if (active && !wasActive.current) termRef.current?.focus();
    wasActive.current = active;
  }, [active, fit]);

  useEffect(() => {
    fit();
    if (!fullScreen) return;
    const onKey = (e: KeyboardEvent) => {
      // Ctrl+Shift+F leaves full screen too (Esc belongs to the shell).
      if (e.ctrlKey && e.shiftKey && e.code === "KeyF") {
        e.preventDefault();
        setFullScreen(false);
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [fullScreen, fit]);

  useEffect(() => {
    if (!note) return;
    const t = window.setTimeout(() => setNote(null), 3000);
    return () => window.clearTimeout(t);
  }, [note]);

  const reconnectNow = () => {
    attemptRef.current = Math.max(1, attemptRef.current);
    lostAtRef.current = Date.now();
    connect();
  };

  const newShell = () => {
    attemptRef.current = 0;
    termRef.current?.reset();
    connect();
  };

  return (
    <div className={`terminal-pane${watch ? " terminal-watch" : ""}${fullScreen ? " terminal-fullscreen" : ""}`} role={fullScreen ? "dialog" : undefined} aria-label={fullScreen ? `Terminal of ${node}, full screen` : undefined}>
      <div className="terminal-toolbar">
        <ConnBadge conn={conn} />
        {watch ? (
          <span className="badge badge-warning">Read only</span>
        ) : (
          <span className="muted small hint" id={helpId}>{LEAVE_TERMINAL_HINT} · Ctrl+Shift+C copy · Ctrl+Shift+V paste</span>
        )}
        {watch && <span className="visually-hidden" id={helpId}>{LEAVE_TERMINAL_HINT}</span>}
        {note && <span className="small" role="status">{note}</span>}
        <div className="toolbar-actions">
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-pressed={fullScreen}
            title={fullScreen ? "Leave full screen (Ctrl+Shift+F)" : "Full screen"}
            onClick={() => setFullScreen((f) => !f)}
          >
            {fullScreen ? "Exit full screen" : "Full screen"}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-label="Copy selection"
            onClick={async () => {
              const sel = termRef.current?.getSelection();
              if (!sel) setNote("Select text in the terminal first.");
              else setNote((await copyText(sel)) ? "Copied." : "Copying failed.");
              termRef.current?.focus();
            }}
          >
            Copy
          </button>
          {!watch && (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={async () => {
                try {
                  const text = await navigator.clipboard.readText();
                  if (text) termRef.current?.paste(text);
                } catch {
                  setNote("The browser blocked reading the clipboard. Use Ctrl+Shift+V in the terminal.");
                }
                termRef.current?.focus();
              }}
            >
              Paste
            </button>
          )}
        </div>
      </div>
      <div className="terminal-body">
        <div ref={hostRef} className="terminal-host" aria-label={watch ? `Terminal of ${node}, watching` : `Terminal of ${node}`} />
        {waiting && conn.kind === "connected" && (
          <div className="terminal-overlay overlay-waiting" role="status">
            <strong>Waiting</strong>
            <p>{waiting}</p>
          </div>
        )}
        {conn.kind !== "connected" && conn.kind !== "connecting" && (
          <div className={`terminal-overlay overlay-${conn.kind}`} role="status">
            {conn.kind === "reconnecting" && (
              <>
                <strong>Connection lost</strong>
                <p>Reconnecting{conn.inSeconds > 0 ? ` in ${conn.inSeconds} s` : "…"} (attempt {conn.attempt}). A new shell opens; files on the machine are kept.</p>
                <button type="button" className="btn btn-secondary btn-sm" onClick={reconnectNow}>Reconnect now</button>
              </>
            )}
            {conn.kind === "disconnected" && (
              <>
                <strong>Disconnected</strong>
                <p>{conn.message}</p>
                <button type="button" className="btn btn-primary btn-sm" onClick={reconnectNow}>Reconnect</button>
              </>
            )}
            {conn.kind === "exited" && (
              <>
                <strong>The shell has ended</strong>
                <p>The machine is still running.</p>
                <button type="button" className="btn btn-primary btn-sm" onClick={newShell}>Open a new shell</button>
              </>
            )}
            {conn.kind === "failed" && (
              <>
                <strong>The terminal stopped working</strong>
                <p>{conn.message}</p>
                <button type="button" className="btn btn-primary btn-sm" onClick={newShell}>Try again</button>
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

function ConnBadge({ conn }: { conn: ConnState }) {
  const map: Record<ConnState["kind"], [Tone, string]> = {
    connecting: ["info", "Connecting…"],
    connected: ["success", "Connected"],
    reconnecting: ["warning", "Reconnecting…"],
    disconnected: ["danger", "Disconnected"],
    exited: ["neutral", "Shell ended"],
    stopped: ["neutral", "Session stopped"],
    failed: ["danger", "Error"],
  };
  const [tone, label] = map[conn.kind];
  return <ConnectionBadge tone={tone} label={label} />;
}
