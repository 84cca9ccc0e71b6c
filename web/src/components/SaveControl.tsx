import { useState } from "react";
import { api } from "../api";

/** The workspace's Save: keeps the machines' files and the guide progress to continue later from the catalogue. */
export function SaveControl({ sessionId }: { sessionId: string }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      await api.saveSession(sessionId);
      setStatus({ ok: true, text: "Saved. Continue it later from the catalogue (files are kept, running programs are not)." });
    } catch (err) {
      setStatus({ ok: false, text: err instanceof Error ? err.message : "The session could not be saved." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="btn btn-ghost" onClick={save} disabled={busy}>
        {busy ? "Saving…" : "Save"}
      </button>
      {status && (
        <span role={status.ok ? "status" : "alert"} className={status.ok ? "save-status" : "save-status save-error"}>
          {status.text}
        </span>
      )}
    </>
  );
}
