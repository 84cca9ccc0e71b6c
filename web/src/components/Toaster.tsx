import { useEffect, useState } from "react";
import { dismissToast, onToasts, type Toast } from "../lib/toasts";

/** The toasts of lib/toasts, bottom right, announced politely to screen readers. */
export function Toaster() {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  useEffect(() => onToasts(setToasts), []);
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`}>
          <span>{t.message}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => dismissToast(t.id)} aria-label={`Dismiss: ${t.message}`}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
