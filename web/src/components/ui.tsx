import { useEffect, useRef, useState, type AnchorHTMLAttributes, type ReactNode } from "react";
import { navigate } from "../lib/router";
import { stateLabel, stateTone, type Tone } from "../lib/session";
import type { NodeState, SessionState } from "../api/types";

export function Link({ href, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      {...rest}
      onClick={(e) => {
        rest.onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** The live state of a console connection (terminal, desktop), announced to screen readers as it changes. */
export function ConnectionBadge({ tone, label }: { tone: Tone; label: string }) {
  return (
    <span className={`badge badge-${tone}`} aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function StateBadge({ state }: { state: SessionState | NodeState }) {
  return (
    <Badge tone={stateTone(state)}>
      <span className="dot" aria-hidden="true" />
      {stateLabel(state)}
    </Badge>
  );
}

export function Spinner({ label = "Loading" }: { label?: string }) {
  return (
    <span className="spinner" role="status">
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading">
      <Spinner label={label} />
      <span>{label}</span>
    </div>
  );
}

export function ErrorBanner({ message, onRetry, title = "Something went wrong" }: { message: string; onRetry?: () => void; title?: string }) {
  return (
    <div className="alert alert-danger" role="alert">
      <div>
        <strong>{title}</strong>
        {message.split("\n").map((line, i) => (
          <p key={i}>{line}</p>
        ))}
      </div>
      {onRetry && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <svg aria-hidden="true" width="48" height="48" viewBox="0 0 48 48" fill="none">
        <rect x="6" y="10" width="36" height="28" rx="5" stroke="currentColor" strokeWidth="2.5" />
        <path d="M14 21l5 4-5 4M23 30h10" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function ProgressBar({ value, label, tone = "info" }: { value: number; label: string; tone?: Tone }) {
  const v = Math.max(0, Math.min(100, value));
  return (
    <div className={`progress progress-${tone}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={v}>
      <div className="progress-fill" style={{ width: `${v}%` }} />
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<"idle" | "ok" | "fail">("idle");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      aria-label={label}
      title={label}
      onClick={async () => {
        const ok = await copyText(text);
        setCopied(ok ? "ok" : "fail");
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => setCopied("idle"), 1500);
      }}
    >
      {copied === "ok" ? "Copied" : copied === "fail" ? "Copy failed" : "Copy"}
    </button>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fallback for non-secure contexts (plain http on a LAN address).
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}
