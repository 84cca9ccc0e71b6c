import { useCallback, useEffect, useState } from "react";
import { guideApi, type Guide, type GuideApi } from "../../api/guide";

export type GuideState =
  | { status: "loading" }
  | { status: "none" }
  | { status: "error"; message: string }
  | { status: "ready"; guide: Guide };

/** How often a watcher re-reads the guide to follow the learner's progress. */
export const WATCH_POLL_MS = 10_000;

/**
 * Loads a session's guide with its progress. Progress lives on the server: a reload shows it again, and watchers
 * (who cannot change it) poll so they see the learner advance.
 */
export function useGuide(sessionId: string, watching: boolean, api: GuideApi = guideApi) {
  const [state, setState] = useState<GuideState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: number | undefined;
    let first = true;
    const load = async () => {
      try {
        const guide = await api.guide(sessionId, ctrl.signal);
        if (ctrl.signal.aborted) return;
        setState(guide ? { status: "ready", guide } : { status: "none" });
      } catch (err) {
        if (ctrl.signal.aborted) return;
        // A failed poll keeps what is shown; only the first load reports.
        if (first) setState({ status: "error", message: err instanceof Error ? err.message : "The guide could not be loaded." });
      }
      first = false;
      if (watching && !ctrl.signal.aborted) timer = window.setTimeout(load, WATCH_POLL_MS);
    };
    setState({ status: "loading" });
    void load();
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [sessionId, watching, attempt, api]);

  const update = useCallback((fn: (g: Guide) => Guide) => {
    setState((s) => (s.status === "ready" ? { status: "ready", guide: fn(s.guide) } : s));
  }, []);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);

  return { state, update, reload };
}
