import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import type { GuidePage, GuideStep } from "../../api/guide";
import { dropRepeatedTitle, prepareGuideHtml } from "../../lib/guideHtml";
import { highlightCode } from "../../lib/highlight";
import type { DesktopPasteResult } from "../DesktopPane";
import { CodeToolbar } from "./CodeToolbar";

interface Props {
  page: GuidePage;
  renderStep: (step: GuideStep) => ReactNode;
  /** Nodes whose terminal a "Run in NODE" button may type into; empty when watching. */
  runNodes: readonly string[];
  onRun: (node: string, code: string) => boolean;
  /** Nodes whose desktop clipboard a "Paste to NODE desktop" button may fill; empty when watching. */
  desktopNodes: readonly string[];
  onPasteDesktop: (node: string, text: string) => DesktopPasteResult;
}

interface Mounts {
  html: string;
  steps: [string, HTMLElement][];
  toolbars: [number, HTMLElement][];
}

/**
 * A page's server-rendered HTML, with the step widgets and code toolbars mounted into it through portals: the HTML
 * stays whole (a step may sit inside a list item), React owns only the widgets.
 */
export function PageContent({ page, renderStep, runNodes, onRun, desktopNodes, onPasteDesktop }: Props) {
  const stepKey = page.steps.map((s) => s.id).join("\n");
  const prepared = useMemo(
    () => prepareGuideHtml(dropRepeatedTitle(page.html, page.title), stepKey ? stepKey.split("\n") : [], highlightCode),
    [page.html, page.title, stepKey],
  );
  const root = useRef<HTMLDivElement>(null);
  const [mounts, setMounts] = useState<Mounts | null>(null);

  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const steps: [string, HTMLElement][] = [];
    el.querySelectorAll<HTMLElement>("[data-step-mount]").forEach((m) => steps.push([m.dataset.stepMount ?? "", m]));
    const toolbars: [number, HTMLElement][] = [];
    el.querySelectorAll<HTMLElement>("[data-code-toolbar]").forEach((m) => toolbars.push([Number(m.dataset.codeToolbar), m]));
    // Links out of the guide open beside the workspace, so the terminals stay open.
    el.querySelectorAll<HTMLAnchorElement>("a[href]").forEach((a) => {
      if (a.origin !== window.location.origin) {
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      }
    });
    setMounts({ html: prepared.html, steps, toolbars });
  }, [prepared.html]);

  const byId = new Map(page.steps.map((s) => [s.id, s]));
  const current = mounts?.html === prepared.html ? mounts : null;
  return (
    <>
      <div ref={root} className="guide-html" dangerouslySetInnerHTML={{ __html: prepared.html }} />
      {current?.steps.map(([id, el]) => {
        const step = byId.get(id);
        return step ? createPortal(renderStep(step), el, `step-${id}`) : null;
      })}
      {current?.toolbars.map(([i, el]) => {
        const block = prepared.code[i];
        if (!block) return null;
        const runnable = block.runNode !== undefined && runNodes.includes(block.runNode);
        const pastable = block.desktopNode !== undefined && desktopNodes.includes(block.desktopNode);
        return createPortal(
          <CodeToolbar block={block} onRun={runnable ? onRun : undefined} onPasteDesktop={pastable ? onPasteDesktop : undefined} />,
          el,
          `code-${i}`,
        );
      })}
      {prepared.missing.map((id) => {
        const step = byId.get(id);
        return step ? <div key={id} className="guide-step">{renderStep(step)}</div> : null;
      })}
    </>
  );
}
