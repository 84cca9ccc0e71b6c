import { useCallback, useEffect, useRef, useState } from "react";
import type { Guide, GuideStep } from "../../api/guide";
import { isComplete, pageIndex } from "../../lib/guide";
import type { DesktopPasteResult } from "../DesktopPane";
import { PageContent } from "./PageContent";
import { ProgressMeter } from "./ProgressMeter";
import { StepWidget, type StepActions } from "./StepWidget";

interface Props {
  sessionId: string;
  guide: Guide;
  readOnly: boolean;
  actions: StepActions;
  runNodes: readonly string[];
  onRun: (node: string, code: string) => boolean;
  desktopNodes: readonly string[];
  onPasteDesktop: (node: string, text: string) => DesktopPasteResult;
}

const pageKey = (sessionId: string) => `labo.guide.page.${sessionId}`;

function readPage(sessionId: string): string | null {
  try {
    return window.sessionStorage.getItem(pageKey(sessionId));
  } catch {
    return null;
  }
}

function storePage(sessionId: string, pageId: string): void {
  try {
    window.sessionStorage.setItem(pageKey(sessionId), pageId);
  } catch {
    /* private mode: the page is simply not remembered */
  }
}

/** The guide: overall progress, page navigation, the current page with its steps. */
export function GuideView({ sessionId, guide, readOnly, actions, runNodes, onRun, desktopNodes, onPasteDesktop }: Props) {
  const [pageId, setPageId] = useState<string | null>(() => readPage(sessionId));
  const [hints, setHints] = useState<Record<string, number>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const index = pageIndex(guide, pageId);
  const page = guide.pages[index];
  const count = guide.pages.length;

  const go = (i: number) => {
    const target = guide.pages[i];
    if (!target || i === index) return;
    moved.current = true;
    setPageId(target.id);
    storePage(sessionId, target.id);
  };

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    const h = heading.current;
    h?.closest(".guide")?.scrollTo({ top: 0 });
    h?.focus({ preventScroll: true });
  }, [page?.id]);

  const renderStep = useCallback(
    (step: GuideStep) => (
      <StepWidget
        step={step}
        readOnly={readOnly}
        actions={actions}
        hintsShown={hints[step.id] ?? 0}
        onShowHint={() => setHints((h) => ({ ...h, [step.id]: Math.min(step.hints.length, (h[step.id] ?? 0) + 1) }))}
      />
    ),
    [readOnly, actions, hints],
  );

  return (
    <div className="guide-view">
      <div className="guide-top">
        <div className="guide-top-row">
          <h2 className="guide-title">{guide.title}</h2>
          {count > 1 && (
            <div className="pager" role="group" aria-label="Page navigation">
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => go(index - 1)} disabled={index === 0} aria-label="Previous page">
                <span aria-hidden="true">‹</span> Previous
              </button>
              <span className="pager-pos">
                Page {index + 1} of {count}
              </span>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => go(index + 1)} disabled={index >= count - 1} aria-label="Next page">
                Next <span aria-hidden="true">›</span>
              </button>
            </div>
          )}
        </div>
        {guide.progress.total > 0 && <ProgressMeter label="Overall progress" caption="Overall" progress={guide.progress} />}
      </div>

      {count > 1 && (
        <nav className="guide-pages" aria-label="Guide pages">
          <ol>
            {guide.pages.map((p, i) => {
              const complete = isComplete(p.progress);
              return (
                <li key={p.id}>
                  <button type="button" className="guide-page-link" aria-current={i === index ? "page" : undefined} onClick={() => go(i)}>
                    <span className={complete ? "page-num page-num-done" : "page-num"} aria-hidden="true">
                      {complete ? "✓" : i + 1}
                    </span>
                    <span className="page-link-title">{p.title}</span>
                    {complete && <span className="visually-hidden">(done)</span>}
                    {p.progress.total > 0 && (
                      <span className="page-link-count">
                        {p.progress.done}/{p.progress.total}
                      </span>
                    )}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>
      )}

      {page ? (
        <article className="guide-page" aria-labelledby="guide-page-title">
          <header className="guide-page-head">
            <h2 id="guide-page-title" ref={heading} tabIndex={-1}>
              {page.title}
            </h2>
            {page.progress.total > 0 && <ProgressMeter key={page.id} label="Page progress" caption="This page" progress={page.progress} />}
          </header>
          <PageContent key={page.id} page={page} renderStep={renderStep} runNodes={runNodes} onRun={onRun} desktopNodes={desktopNodes} onPasteDesktop={onPasteDesktop} />
          {index < count - 1 && (
            <div className="guide-page-end">
              <button type="button" className="btn btn-secondary" onClick={() => go(index + 1)}>
                Continue: {guide.pages[index + 1].title} <span aria-hidden="true">›</span>
              </button>
            </div>
          )}
        </article>
      ) : (
        <p className="muted">This guide has no pages.</p>
      )}
    </div>
  );
}
