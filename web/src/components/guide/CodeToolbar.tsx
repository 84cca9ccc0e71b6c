import { useEffect, useRef, useState } from "react";
import type { GuideCodeBlock } from "../../lib/guideHtml";
import { copyText } from "../ui";

interface Props {
  block: GuideCodeBlock;
  /** Sends the block to the node's terminal; absent when it cannot (watching, or the node has no terminal). */
  onRun?: (node: string, code: string) => boolean;
}

/** The bar above a guide code block: its language, Copy and, for run=NODE blocks, "Run in NODE". */
export function CodeToolbar({ block, onRun }: Props) {
  const [note, setNote] = useState<{ text: string; tone: "ok" | "fail" } | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const show = (text: string, tone: "ok" | "fail") => {
    setNote({ text, tone });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setNote(null), tone === "ok" ? 2000 : 5000);
  };

  const node = block.runNode;
  return (
    <>
      <span className="code-lang">{block.language ?? "text"}</span>
      <span className={note?.tone === "fail" ? "code-note code-note-fail" : "code-note"} role="status">
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
    </>
  );
}
