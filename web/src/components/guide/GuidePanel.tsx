import { useMemo, type ReactNode } from "react";
import { guideApi } from "../../api/guide";
import { applyStepProgress } from "../../lib/guide";
import type { DesktopPasteResult } from "../DesktopPane";
import { ErrorBanner, Loading } from "../ui";
import { GuideView } from "./GuideView";
import type { StepActions } from "./StepWidget";
import { useGuide } from "./useGuide";

interface Props {
  sessionId: string;
  /** Watching someone else's session: read only, progress re-read every few seconds. */
  watching: boolean;
  runNodes: readonly string[];
  onRun: (node: string, code: string) => boolean;
  desktopNodes: readonly string[];
  onPasteDesktop: (node: string, text: string) => DesktopPasteResult;
  /** What to show about the lab when it has no guide. */
  about: ReactNode;
}

export function GuidePanel({ sessionId, watching, runNodes, onRun, desktopNodes, onPasteDesktop, about }: Props) {
  const { state, update, reload } = useGuide(sessionId, watching);

  const actions = useMemo<StepActions>(
    () => ({
      async check(stepId) {
        const r = await guideApi.check(sessionId, stepId);
        update((g) => applyStepProgress(g, stepId, r.step, r.progress));
        return r;
      },
      async setDone(stepId, done) {
        const r = await guideApi.setDone(sessionId, stepId, done);
        update((g) => applyStepProgress(g, stepId, r.step, r.progress));
      },
    }),
    [sessionId, update],
  );

  if (state.status === "loading") return <Loading label="Loading the guide…" />;
  if (state.status === "error")
    return <ErrorBanner title="The guide could not be loaded" message={state.message} onRetry={reload} />;
  if (state.status === "none")
    return (
      <div className="guide-none">
        {about}
        <p className="guide-none-note muted">This lab has no guide. Explore the machines on the right: each tab is a terminal, desktop or web page of one machine.</p>
      </div>
    );
  return (
    <GuideView
      sessionId={sessionId}
      guide={state.guide}
      readOnly={watching}
      actions={actions}
      runNodes={watching ? [] : runNodes}
      onRun={onRun}
      desktopNodes={watching ? [] : desktopNodes}
      onPasteDesktop={onPasteDesktop}
    />
  );
}
