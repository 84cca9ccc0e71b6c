import { useCallback, useContext, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from "react";
import { api } from "../api";
import type { LabDetails, Session } from "../api/types";
import { AuthContext } from "../auth";
import { DesktopPane, type DesktopHandle, type DesktopPasteResult } from "../components/DesktopPane";
import { GuidePanel } from "../components/guide/GuidePanel";
import { QuotaHelp } from "../components/QuotaHelp";
import { ResetControl } from "../components/ResetControl";
import { isPerUserQuota } from "../lib/quota";
import { timeToast } from "../lib/time";
import { toast } from "../lib/toasts";
import { SaveControl } from "../components/SaveControl";
import { TerminalPane, type TerminalHandle } from "../components/Terminal";
import { WebPortPane } from "../components/WebPortPane";
import { CopyButton, EmptyState, ErrorBanner, Link, Loading, Spinner, StateBadge } from "../components/ui";
import { consoleTabs, currentTab, desktopKey, terminalKey, type ConsoleTab } from "../lib/consoles";
import { terminalInput } from "../lib/guide";
import { navigate } from "../lib/router";
import { handedOverSession } from "../lib/sessionHandoff";
import { formatTimeLeft, secondsLeft } from "../lib/time";
import { SessionLifecycle } from "../components/SessionLifecycle";
import { stoppedByLine, stopSentence } from "../lib/lifecycle";
import { useNow } from "../lib/useNow";

const SPLIT_KEY = "labo.workspace.split";

export default function WorkspacePage({ id }: { id: string }) {
  const [session, setSession] = useState<Session | null>(() => handedOverSession(id));
  const [lab, setLab] = useState<LabDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [activeTab, setActiveTab] = useState<string | null>(null);
  const [confirmStop, setConfirmStop] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<string | null>(null);
  const [guideKey, setGuideKey] = useState(0);
  const [quota, setQuota] = useState<{ current?: unknown; max?: unknown } | null>(null);
  const narrow = useMediaQuery("(max-width: 900px)");
  const [view, setView] = useState<WorkspaceView>("guide");
  const now = useNow(1000);
  const auth = useContext(AuthContext);
  const terminals = useRef<Record<string, TerminalHandle | null>>({});
  const desktops = useRef<Record<string, DesktopHandle | null>>({});

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: number | undefined;
    const load = async (first: boolean) => {
      try {
        const s = await api.session(id, ctrl.signal);
        setSession((prev) => ({ ...s, credentials: s.credentials ?? prev?.credentials }));
        setError(null);
        if (first) {
          if (s.state === "Pending" || s.state === "Starting") {
            navigate(`/sessions/${encodeURIComponent(id)}/start`, true);
            return;
          }
          api.lab(s.lab, ctrl.signal).then(setLab).catch(() => undefined);
        }
        if (s.state === "Running" || s.state === "Stopping" || s.state === "Paused") timer = window.setTimeout(() => load(false), 15000);
      } catch (err) {
        if (ctrl.signal.aborted) return;
        if (first) setError(err instanceof Error ? err.message : "The session could not be loaded.");
        else timer = window.setTimeout(() => load(false), 15000);
      }
    };
    void load(true);
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [id, attempt]);

  // Stopping takes a few seconds (the machines are removed): follow it closely until the session has stopped.
  const isStopping = session?.state === "Stopping";
  useEffect(() => {
    if (!isStopping) return;
    const ctrl = new AbortController();
    const t = window.setInterval(() => {
      api
        .session(id, ctrl.signal)
        .then((s) => setSession((prev) => ({ ...s, credentials: s.credentials ?? prev?.credentials })))
        .catch(() => undefined);
    }, 1000);
    return () => {
      ctrl.abort();
      window.clearInterval(t);
    };
  }, [id, isStopping]);

  // Toasts: the session stopping, and time running out (once per threshold).
  const state = session?.state;
  useEffect(() => {
    if (state === "Stopping") toast("The session is stopping: its machines are being removed.", "warning");
  }, [state]);
  const secondsToGo = state === "Running" ? secondsLeft(session?.expiresAt, now) : undefined;
  const lastTimeToast = useRef<string | undefined>(undefined);
  useEffect(() => {
    const t = timeToast(secondsToGo);
    if (t && t !== lastTimeToast.current) toast(t, "warning");
    lastTimeToast.current = t;
  }, [secondsToGo]);

  const markStopped = useCallback(() => {
    // The gateway closes terminals as the stop begins: the session is stopping until the server says it has stopped.
    setSession((prev) => (prev && prev.state === "Running" ? { ...prev, state: "Stopping" } : prev));
  }, []);

  // The guide's "Run in NODE": switch to that node's tab and type the code into its shell.
  const runInTerminal = useCallback((node: string, code: string) => {
    const term = terminals.current[node];
    if (!term) return false;
    setActiveTab(terminalKey(node));
    setView("machines");
    return term.sendInput(terminalInput(code));
  }, []);

  // The guide's "Paste to NODE desktop": switch to that desktop (which connects when first shown) and fill its clipboard.
  const pasteToDesktop = useCallback((node: string, text: string): DesktopPasteResult => {
    const desktop = desktops.current[node];
    if (!desktop) return "refused";
    setActiveTab(desktopKey(node));
    setView("machines");
    return desktop.paste(text);
  }, []);

  const tabs = consoleTabs(session?.nodes ?? [], lab);
  const terminalNodes = tabs.filter((t) => t.kind === "terminal").map((t) => t.node);
  const desktopNodes = tabs.filter((t) => t.kind === "desktop").map((t) => t.node);
  const current = currentTab(tabs, activeTab);

  if (error) {
    return (
      <div className="page narrow">
        <ErrorBanner title="The workspace could not be opened" message={error} onRetry={() => setAttempt((a) => a + 1)} />
        <Link className="btn btn-secondary" href="/sessions">My sessions</Link>
      </div>
    );
  }
  if (!session) return <Loading label="Opening the workspace…" />;

  const running = session.state === "Running";
  // An instructor or admin looking at a learner's session: everything read only.
  const watching = !!auth && session.userId !== auth.user.id;
  const left = running ? secondsLeft(session.expiresAt, now) : undefined;
  const lowTime = left !== undefined && left < 300;

  function startAgain() {
    setQuota(null);
    setStopError(null);
    api
      .startSession(session!.lab)
      .then((s) => navigate(`/sessions/${encodeURIComponent(s.id)}/start`))
      .catch((err: unknown) => {
        if (isPerUserQuota(err)) setQuota(err.problem ?? {});
        else setStopError(err instanceof Error ? err.message : "The lab could not be started.");
      });
  }

  async function stop() {
    setStopping(true);
    setStopError(null);
    try {
      const s = await api.stopSession(id);
      setSession((prev) => ({ ...s, credentials: prev?.credentials }));
      setConfirmStop(false);
    } catch (err) {
      setStopError(err instanceof Error ? err.message : "The session could not be stopped.");
    } finally {
      setStopping(false);
    }
  }

  return (
    <div className="workspace">
      <div className="workspace-bar">
        <div className="workspace-title">
          <h1>{lab?.title || session.lab}</h1>
          <StateBadge state={session.state} />
        </div>
        <div className="workspace-actions">
          {running && (
            <span className={lowTime ? "time-left time-low" : "time-left"} title={session.expiresAt ? `Ends at ${new Date(session.expiresAt).toLocaleTimeString()}` : undefined}>
              <span className="muted">Time left</span> <strong>{formatTimeLeft(left)}</strong>
            </span>
          )}
          <SessionLifecycle session={session} watching={watching} onSession={(s) => setSession((prev) => ({ ...s, credentials: s.credentials ?? prev?.credentials }))} />
          {running && !confirmStop && !watching && <SaveControl sessionId={session.id} />}
          {running && !confirmStop && !watching && (
            <ResetControl session={session} onReset={(s, cleared) => { setSession((prev) => ({ ...s, credentials: prev?.credentials })); if (cleared) setGuideKey((k) => k + 1); }} />
          )}
          {running && !confirmStop && !watching && (
            <button type="button" className="btn btn-danger-ghost" onClick={() => setConfirmStop(true)}>
              Stop
            </button>
          )}
          {running && confirmStop && (
            <div className="confirm" role="group" aria-label="Confirm stop">
              <span>Stop and remove the machines?</span>
              <button type="button" className="btn btn-danger btn-sm" onClick={stop} disabled={stopping} autoFocus>
                {stopping ? "Stopping…" : "Stop session"}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirmStop(false)} disabled={stopping}>
                Cancel
              </button>
            </div>
          )}
        </div>
      </div>
      {watching && (
        <div className="watch-banner" role="status">
          <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none">
            <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z" stroke="currentColor" strokeWidth="1.5" />
            <circle cx="8" cy="8" r="2" fill="currentColor" />
          </svg>
          <span>
            Watching <strong>{session.userId}</strong>&apos;s session — read only
          </span>
        </div>
      )}
      {stopError && <div className="workspace-alert"><ErrorBanner message={stopError} /></div>}
      {!running ? (
        <div className="page narrow">
          {quota && <QuotaHelp problem={quota} labTitle={lab?.title || session.lab} onStartAgain={startAgain} />}
          <EmptyState
            title={
              session.state === "Failed"
                ? "This session failed"
                : session.state === "Paused"
                  ? "This session is paused"
                  : session.state === "Stopping"
                    ? "This session is stopping"
                    : "This session has stopped"
            }
            action={
              <div className="row">
                {session.state === "Stopped" && !watching && (
                  <button type="button" className="btn btn-primary" onClick={startAgain}>
                    Start again
                  </button>
                )}
                <Link className={session.state === "Stopped" && !watching ? "btn btn-secondary" : "btn btn-primary"} href="/">Back to the catalogue</Link>
                <Link className="btn btn-secondary" href="/sessions">My sessions</Link>
              </div>
            }
          >
            {session.state === "Failed"
              ? session.failureReason || "A machine failed."
              : session.state === "Paused"
                ? "Its machines are frozen with everything in memory, and its time limit is on hold. Resume it to continue where you left off."
                : session.state === "Stopping"
                  ? <StoppingText session={session} viewerId={auth?.user.id} />
                  : <StoppedText session={session} viewerId={auth?.user.id} />}
          </EmptyState>
        </div>
      ) : (
        <Split
          narrow={narrow}
          view={view}
          onView={setView}
          left={
            <GuidePane
              key={guideKey}
              lab={lab}
              session={session}
              watching={watching}
              runNodes={terminalNodes}
              onRun={runInTerminal}
              desktopNodes={desktopNodes}
              onPasteDesktop={pasteToDesktop}
            />
          }
          right={
            <section className="machines" aria-label="Machines">
              {tabs.length === 0 ? (
                <EmptyState title="Nothing to open">This lab offers no terminals, desktops or web ports.</EmptyState>
              ) : (
                <>
                  <Tabs tabs={tabs} current={current?.key ?? null} onSelect={setActiveTab} />
                  {tabs.map((t) => (
                    <div
                      key={t.key}
                      role="tabpanel"
                      id={panelId(t)}
                      aria-labelledby={tabId(t)}
                      hidden={t.key !== current?.key}
                      className="tab-panel"
                    >
                      {t.kind === "terminal" ? (
                        <TerminalPane
                          ref={(h) => {
                            terminals.current[t.node] = h;
                          }}
                          sessionId={session.id}
                          node={t.node}
                          active={t.key === current?.key}
                          onSessionStopped={markStopped}
                          watch={watching}
                        />
                      ) : t.kind === "desktop" ? (
                        <DesktopPane
                          ref={(h) => {
                            desktops.current[t.node] = h;
                          }}
                          sessionId={session.id}
                          node={t.node}
                          active={t.key === current?.key}
                          onSessionStopped={markStopped}
                          watch={watching}
                        />
                      ) : (
                        <WebPortPane sessionId={session.id} node={t.node} port={t.port} portName={t.portName} active={t.key === current?.key} />
                      )}
                    </div>
                  ))}
                </>
              )}
            </section>
          }
        />
      )}
    </div>
  );
}

// Terminal tabs keep the ids they always had (tab-NODE), so links and tests that name them still work.
const tabSuffix = (t: ConsoleTab) => (t.kind === "terminal" ? "" : t.kind === "desktop" ? "-desktop" : `-port-${t.port}`);
const tabId = (t: ConsoleTab) => `tab-${t.node}${tabSuffix(t)}`;
const panelId = (t: ConsoleTab) => `panel-${t.node}${tabSuffix(t)}`;
const tabKindLabel: Record<ConsoleTab["kind"], string> = { terminal: "terminal", desktop: "desktop", http: "web" };

function Tabs({ tabs, current, onSelect }: { tabs: ConsoleTab[]; current: string | null; onSelect: (key: string) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: ReactKeyboardEvent, index: number) => {
    let next = index;
    if (e.key === "ArrowRight") next = (index + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    else return;
    e.preventDefault();
    onSelect(tabs[next].key);
    refs.current[tabs[next].key]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Machines">
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            refs.current[t.key] = el;
          }}
          type="button"
          role="tab"
          id={tabId(t)}
          aria-controls={panelId(t)}
          aria-selected={t.key === current}
          tabIndex={t.key === current ? 0 : -1}
          className="tab"
          onClick={() => onSelect(t.key)}
          onKeyDown={(e) => onKey(e, i)}
        >
          <span className={`dot dot-${t.state === "Running" ? "success" : "warning"}`} aria-hidden="true" />
          {t.label}
          <span className="tab-kind">{tabKindLabel[t.kind]}</span>
        </button>
      ))}
    </div>
  );
}

interface GuidePaneProps {
  lab: LabDetails | null;
  session: Session;
  watching: boolean;
  runNodes: readonly string[];
  onRun: (node: string, code: string) => boolean;
  desktopNodes: readonly string[];
  onPasteDesktop: (node: string, text: string) => DesktopPasteResult;
}

function GuidePane({ lab, session, watching, runNodes, onRun, desktopNodes, onPasteDesktop }: GuidePaneProps) {
  const creds = session.credentials ?? [];
  const about = (
    <>
      <p className="eyebrow">Lab</p>
      <h2>{lab?.title || session.lab}</h2>
      {lab?.description ? <p className="lead">{lab.description}</p> : <p className="muted">No description.</p>}
      {lab?.tags && lab.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {lab.tags.map((t) => <li key={t} className="tag">{t}</li>)}
        </ul>
      )}
    </>
  );
  return (
    <aside className="guide" aria-label="Guide">
      <div className="guide-content">
        <GuidePanel
          sessionId={session.id}
          watching={watching}
          runNodes={runNodes}
          onRun={onRun}
          desktopNodes={desktopNodes}
          onPasteDesktop={onPasteDesktop}
          about={about}
        />
        <section className="guide-section" aria-labelledby="creds-h">
          <h3 id="creds-h">Credentials</h3>
          {creds.length === 0 ? (
            <p className="muted small">This lab has no credentials to show.</p>
          ) : (
            <ul className="creds">
              {creds.map((c) => (
                <li key={`${c.node}/${c.name}`} className="cred">
                  <div className="cred-head">
                    <strong>{c.name}</strong>
                    <span className="muted small">on {c.node}</span>
                  </div>
                  {c.username !== undefined && <CredRow label="User name" value={c.username} secret={false} />}
                  {c.password !== undefined && <CredRow label="Password" value={c.password} secret />}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </aside>
  );
}

function CredRow({ label, value, secret }: { label: string; value: string; secret: boolean }) {
  const [shown, setShown] = useState(!secret);
  return (
    <div className="cred-row">
      <span className="muted small cred-label">{label}</span>
      <code className="cred-value">{shown ? value : "•".repeat(Math.min(12, Math.max(8, value.length)))}</code>
      <span className="cred-actions">
        {secret && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setShown((s) => !s)} aria-pressed={shown}>
            {shown ? "Hide" : "Show"}
          </button>
        )}
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
      </span>
    </div>
  );
}

function readSplit(): number {
  const v = Number(window.localStorage?.getItem(SPLIT_KEY));
  return Number.isFinite(v) && v >= 20 && v <= 70 ? v : 38;
}

export type WorkspaceView = "guide" | "machines";

/**
 * Guide and machines side by side with a draggable divider; below 900 px wide, one at a time with a switch above.
 * The tree keeps its shape either way, so terminals stay connected when the window crosses the line.
 */
function Split({ left, right, narrow, view, onView }: { left: ReactNode; right: ReactNode; narrow: boolean; view: WorkspaceView; onView: (v: WorkspaceView) => void }) {
  const [pct, setPct] = useState(readSplit);
  const container = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    try {
      window.localStorage.setItem(SPLIT_KEY, String(Math.round(pct)));
    } catch {
      /* private mode */
    }
  }, [pct]);

  const clamp = (v: number) => Math.min(70, Math.max(20, v));

  return (
    <div className={narrow ? "split split-narrow" : "split"} ref={container} style={narrow ? undefined : { gridTemplateColumns: `${pct}% 8px 1fr` }}>
      {narrow && <ViewTabs view={view} onView={onView} />}
      <div className="split-pane" {...(narrow ? { role: "tabpanel", id: "view-guide-panel", "aria-labelledby": "view-guide", hidden: view !== "guide" } : {})}>
        {left}
      </div>
      <div
        className="split-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize guide and machines"
        aria-valuemin={20}
        aria-valuemax={70}
        aria-valuenow={Math.round(pct)}
        tabIndex={0}
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          document.body.classList.add("resizing");
        }}
        onPointerMove={(e) => {
          if (!dragging.current || !container.current) return;
          const r = container.current.getBoundingClientRect();
          setPct(clamp(((e.clientX - r.left) / r.width) * 100));
        }}
        onPointerUp={(e) => {
          dragging.current = false;
          e.currentTarget.releasePointerCapture(e.pointerId);
          document.body.classList.remove("resizing");
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowLeft") setPct((p) => clamp(p - 5));
          else if (e.key === "ArrowRight") setPct((p) => clamp(p + 5));
          else if (e.key === "Home") setPct(20);
          else if (e.key === "End") setPct(70);
          else return;
          e.preventDefault();
        }}
        onDoubleClick={() => setPct(38)}
        hidden={narrow}
      />
      <div className="split-pane" {...(narrow ? { role: "tabpanel", id: "view-machines-panel", "aria-labelledby": "view-machines", hidden: view !== "machines" } : {})}>
        {right}
      </div>
    </div>
  );
}

function ViewTabs({ view, onView }: { view: WorkspaceView; onView: (v: WorkspaceView) => void }) {
  const views: { key: WorkspaceView; label: string }[] = [
    { key: "guide", label: "Guide" },
    { key: "machines", label: "Machines" },
  ];
  const onKey = (e: ReactKeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight" && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    const next: WorkspaceView = e.key === "Home" ? "guide" : e.key === "End" ? "machines" : view === "guide" ? "machines" : "guide";
    onView(next);
    document.getElementById(`view-${next}`)?.focus();
  };
  return (
    <div className="view-tabs" role="tablist" aria-label="Workspace">
      {views.map((v) => (
        <button
          key={v.key}
          type="button"
          role="tab"
          id={`view-${v.key}`}
          aria-controls={`view-${v.key}-panel`}
          aria-selected={view === v.key}
          tabIndex={view === v.key ? 0 : -1}
          className="view-tab"
          onClick={() => onView(v.key)}
          onKeyDown={onKey}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

/** Whether the media query matches, following changes. */
function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const mq = window.matchMedia?.(query);
    if (!mq) return;
    const on = () => setMatches(mq.matches);
    on();
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, [query]);
  return matches;
}

function StoppingText({ session, viewerId }: { session: Session; viewerId?: string }) {
  const by = stoppedByLine(session, viewerId);
  return (
    <span className="stop-text">
      <span className="stopping-line">
        <Spinner label="Stopping" /> Its machines are being removed. This takes a few seconds.
      </span>
      {by && <span className="stop-by">{by}</span>}
    </span>
  );
}

function StoppedText({ session, viewerId }: { session: Session; viewerId?: string }) {
  const by = stoppedByLine(session, viewerId);
  return (
    <span className="stop-text">
      {by && <span className="stop-by">{by}</span>}
      <span>{stopSentence(session)}</span>
    </span>
  );
}
