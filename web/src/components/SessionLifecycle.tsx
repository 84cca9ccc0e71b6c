import { useEffect, useState } from "react";
import { api } from "../api";
import type { Session } from "../api/types";
import { extensionsLeft, reduceWarning, shortSeconds, warningsFor, type Warnings } from "../lib/lifecycle";
import { useNow } from "../lib/useNow";

/**
 * Pause, resume and extend in the workspace bar, and the warnings the server sends before it stops a session
 * (time nearly up, "Still there?", paused too long), from the session's event stream.
 */
export function SessionLifecycle({ session, watching, onSession }: { session: Session; watching: boolean; onSession: (s: Session) => void }) {
  const [warnings, setWarnings] = useState<Warnings>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(1000);
  const live = session.state === "Running" || session.state === "Paused";

  useEffect(() => {
    if (!live || typeof EventSource === "undefined") return;
    const source = new EventSource(`/api/sessions/${encodeURIComponent(session.id)}/events`);
    source.addEventListener("warning", (e) => setWarnings((w) => reduceWarning(w, (e as MessageEvent<string>).data)));
    source.addEventListener("session", (e) => {
      try {
        const s = JSON.parse((e as MessageEvent<string>).data) as Session;
        if (s && typeof s.state === "string") onSession(s);
      } catch {
        /* the workspace's own polling still updates it */
      }
    });
    return () => source.close();
    // The stream follows one session while it lives; a state change does not need a new stream.
  }, [session.id, live]);

  async function act(name: string, call: () => Promise<Session>) {
    setBusy(name);
    setError(null);
    try {
      onSession(await call());
    } catch (err) {
      setError(err instanceof Error ? err.message : "That did not work; try again.");
    } finally {
      setBusy(null);
    }
  }

  async function stillHere() {
    setWarnings((w) => ({ ...w, idle: undefined }));
    try {
      await api.stillHere(session.id);
    } catch {
      /* the next warning asks again */
    }
  }

  const shown = warningsFor(warnings, session, now);
  const left = (endsAt: string) => shortSeconds((Date.parse(endsAt) - now) / 1000);
  const canExtend = !watching && session.state === "Running" && !!session.expiresAt && extensionsLeft(session) > 0;

  return (
    <>
      {!watching && session.state === "Running" && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => act("pause", () => api.pauseSession(session.id))} disabled={busy !== null}
          title="Freeze every machine with its memory kept; the time limit stops while paused">
          {busy === "pause" ? "Pausing…" : "Pause"}
        </button>
      )}
      {!watching && session.state === "Paused" && (
        <button type="button" className="btn btn-primary btn-sm" onClick={() => act("resume", () => api.resumeSession(session.id))} disabled={busy !== null}>
          {busy === "resume" ? "Resuming…" : "Resume"}
        </button>
      )}
      {canExtend && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => act("extend", () => api.extendSession(session.id))} disabled={busy !== null}
          title={`${extensionsLeft(session)} extension(s) left`}>
          {busy === "extend" ? "Extending…" : `+${Math.round((session.extendBySeconds ?? 0) / 60)} min`}
        </button>
      )}
      {(error || Object.keys(shown).length > 0) && (
        <div className="lifecycle-alerts">
          {error && (
            <div className="lifecycle-alert" role="alert">
              <span>{error}</span>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setError(null)}>Dismiss</button>
            </div>
          )}
          {shown.idle && !watching && (
            <div className="lifecycle-alert" role="alertdialog" aria-labelledby="still-there">
              <strong id="still-there">Still there?</strong>
              <span>This session stops in {left(shown.idle.endsAt)} unless you use it.</span>
              <button type="button" className="btn btn-primary btn-sm" onClick={stillHere} autoFocus>I&apos;m here</button>
            </div>
          )}
          {shown.timeLimit && (
            <div className="lifecycle-alert" role="alert">
              <span>Time nearly up: the session stops in {left(shown.timeLimit.endsAt)}.</span>
              {canExtend && (
                <button type="button" className="btn btn-primary btn-sm" onClick={() => act("extend", () => api.extendSession(session.id))} disabled={busy !== null}>
                  Extend
                </button>
              )}
            </div>
          )}
          {shown.pausedTooLong && (
            <div className="lifecycle-alert" role="alert">
              <span>This paused session stops in {left(shown.pausedTooLong.endsAt)} unless it is resumed.</span>
            </div>
          )}
        </div>
      )}
    </>
  );
}
