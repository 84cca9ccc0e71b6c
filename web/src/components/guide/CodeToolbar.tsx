import { useEffect, useRef, useState } from "react";
import { DESKTOP_PASTE_NOTE } from "../../lib/desktop";
import type { GuideCodeBlock } from "../../lib/guideHtml";
import type { DesktopPasteResult } from "../DesktopPane";
import { copyText } from "../ui";

interface Props {
  block: GuideCodeBlock;
  /** Sends the block to the node's terminal; absent when it cannot (watching, or the node has no terminal). */
  onRun?: (node: string, code: string) => boolean;
  /** Puts the block into the node's desktop clipboard; absent when it cannot (watching, or the node has no desktop). */
  onPasteDesktop?: (node: string, text: string) => DesktopPasteResult;
}

/**
 * The bar above a guide code block: its language, Copy, for run=NODE blocks "Run in NODE" and for desktop=NODE blocks
 * "Paste to NODE desktop".
 */
export function CodeToolbar({ block, onRun, onPasteDesktop }: Props) {
  const [note, setNote] = useState<{ text: string; tone: "ok" | "fail" } | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const show = (text: string, tone: "ok" | "fail") => {
    setNote({ text, tone });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setNote(null), tone === "ok" && text.length < 40 ? 2000 : 5000);
  };

  const node = block.runNode;
  const desktop = block.desktopNode;
  return (
    <>
      <span className="code-lang">{block.language ?? "text"}</span>
      <span
        className={["code-note", note?.tone === "fail" && "code-note-fail", note && note.text.length > 40 && "code-note-wide"].filter(Boolean).join(" ")}
        role="status"
      >
        {note?.text}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        onClick={async () => {
          const ok = await copyText(block.text);
          show(ok ? "Copied" : "Copying failed. Select the text and copy it.", ok ? "ok" : "fail");
        }}
      >
        Copy
      </button>
      {node && onRun && (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => {
            if (onRun(node, block.text)) show(`Sent to ${node}`, "ok");
            else show(`The terminal of ${node} is not connected yet. Try again in a moment.`, "fail");
          }}
        >
          <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12">
            <path d="M3 1.8v8.4L10 6z" fill="currentColor" />
          </svg>
          Run in {node}
        </button>
      )}
      {desktop && onPasteDesktop && (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => {
            const result = onPasteDesktop(desktop, block.text);
            if (result === "sent") show(DESKTOP_PASTE_NOTE, "ok");
            else if (result === "queued") show(`Opening the desktop of ${desktop}: the text goes to its clipboard once it connects.`, "ok");
            else show(`The desktop of ${desktop} cannot take text now.`, "fail");
          }}
        >
          <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12" fill="none">
            <rect x="2.5" y="2" width="7" height="9" rx="1" stroke="currentColor" strokeWidth="1.2" />
            <path d="M4.5 1h3v2h-3z" fill="currentColor" />
          </svg>
          Paste to {desktop} desktop
        </button>
      )}
    </>
  );
}
