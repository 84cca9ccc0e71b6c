import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { problemItems } from "../../api/admin";
import { Spinner } from "../../components/ui";

/** Loads data (again on `deps` changes and on reload), optionally every `refreshMs` while the tab is visible. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], refreshMs?: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const ctrl = new AbortController();
    let busy = false;
    const run = () => {
      if (busy) return;
      busy = true;
      loadRef
        .current(ctrl.signal)
        .then((value) => {
          if (ctrl.signal.aborted) return;
          setData(value);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!ctrl.signal.aborted) setError(err instanceof Error && err.message ? err.message : "Something went wrong.");
        })
        .finally(() => {
          busy = false;
        });
    };
    run();
    const timer = refreshMs ? window.setInterval(() => !document.hidden && run(), refreshMs) : undefined;
    return () => {
      ctrl.abort();
      window.clearInterval(timer);
    };
  }, [...deps, attempt, refreshMs]);

  return { data, setData, error, reload: () => setAttempt((a) => a + 1) };
}

/** The value, once it has not changed for `ms`. */
export function useDebounced<T>(value: T, ms = 350): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * A modal dialog on the native <dialog>: focus stays inside, Escape closes, focus goes back where it was.
 * The element marked data-autofocus gets the focus when it opens.
 */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  // A layout effect, so that closing (which gives the focus back) happens before React removes the element.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      dialog.close();
      if (before?.isConnected && (document.activeElement === null || document.activeElement === document.body || dialog.contains(document.activeElement))) before.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog-wide" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        closeRef.current();
      }}
    >
      <h2 id={titleId} className="dialog-title">{title}</h2>
      {children}
    </dialog>
  );
}

/** Asks before something that cannot be undone; shows the server's answer inside when it fails. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  errorTitle,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  errorTitle: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Dialog title={title} onClose={() => !busy && onClose()}>
      <div className="dialog-body">{children}</div>
      {error !== null && <ProblemAlert title={errorTitle} error={error} />}
      <div className="dialog-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await onConfirm();
            } catch (err) {
              setError(err);
              setBusy(false);
            }
          }}
        >
          {busy && <Spinner label={busyLabel} />}
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** A refused request: the summary, then each problem with where it is (file:line or field), never raw JSON. */
export function ProblemAlert({ title, error, onDismiss }: { title: string; error: unknown; onDismiss?: () => void }) {
  const { summary, items } = problemItems(error);
  return (
    <div className="alert alert-danger" role="alert">
      <div className="problem">
        <strong>{title}</strong>
        {summary.split("\n").map((line, i) => (
          <p key={i}>{line}</p>
        ))}
        {items.length > 0 && (
          <ul className="problem-list">
            {items.map((item, i) => (
              <li key={i}>
                {item.where && <code className="problem-where">{item.where}</code>}
                <span>{item.message}</span>
                {item.hint && <span className="problem-hint">Hint: {item.hint}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

/** A short confirmation that something worked, read out by screen readers. */
export function Notice({ message, onDismiss }: { message: string | null; onDismiss: () => void }) {
  return (
    <div role="status" aria-live="polite" className="notice-slot">
      {message && (
        <div className="notice">
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 20 20" fill="none">
            <circle cx="10" cy="10" r="9" fill="currentColor" opacity="0.15" />
            <path d="M6 10.5l2.5 2.5L14 7.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>{message}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** A labelled form control with the server's message for it below. */
export function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: (props: FieldProps) => ReactNode }) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && !error && (
        <p id={`${id}-hint`} className="field-hint">{hint}</p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">{error}</p>
      )}
    </div>
  );
}

export interface FieldProps {
  id: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}
