import { useMemo, useRef, useState, type DragEvent } from "react";
import { adminApi, LAB_FILE_ACCEPT, labFileKind } from "../../api/admin";
import type { LabSummary } from "../../api/types";
import { Badge, EmptyState, ErrorBanner, Loading, Spinner } from "../../components/ui";
import { formatRelative } from "../../lib/time";
import { useNow } from "../../lib/useNow";
import { ConfirmDialog, Notice, ProblemAlert, useLoad } from "./common";
import { LabPoolCell } from "./LabPoolCell";
import { useAuth } from "../../auth";

type UploadState = { status: "idle" } | { status: "uploading"; fileName: string } | { status: "failed"; fileName: string; error: unknown };

export function LabsAdminPage() {
  const { data: labs, setData: setLabs, error, reload } = useLoad((signal) => adminApi.labs(signal), []);
  const [upload, setUpload] = useState<UploadState>({ status: "idle" });
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<LabSummary | null>(null);
  const [dragging, setDragging] = useState(false);
  const [filter, setFilter] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const now = useNow(30000);
  const { user: me } = useAuth();

  const sorted = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return [...(labs ?? [])]
      .filter((l) => !q || [l.name, l.title, ...(l.tags ?? [])].some((s) => s?.toLowerCase().includes(q)))
      .sort((a, b) => (a.title ?? a.name).localeCompare(b.title ?? b.name));
  }, [labs, filter]);

  function replace(lab: LabSummary) {
    setLabs((prev) => {
      const list = prev ?? [];
      return list.some((l) => l.name === lab.name) ? list.map((l) => (l.name === lab.name ? { ...l, ...lab } : l)) : [...list, lab];
    });
  }

  async function send(file: File) {
    setNotice(null);
    setActionError(null);
    if (!labFileKind(file.name)) {
      setUpload({ status: "failed", fileName: file.name, error: new Error("Choose a lab.yaml file, or a .tar.gz, .tgz or .zip archive holding one.") });
      return;
    }
    setUpload({ status: "uploading", fileName: file.name });
    try {
      const lab = await adminApi.uploadLab(file);
      const existed = labs?.some((l) => l.name === lab.name) ?? false;
      replace(lab);
      setUpload({ status: "idle" });
      setNotice(
        existed
          ? `“${lab.title ?? lab.name}” was updated from ${file.name}.`
          : `“${lab.title ?? lab.name}” was added from ${file.name}. It is not published yet: learners see it once you publish it.`,
      );
    } catch (err) {
      setUpload({ status: "failed", fileName: file.name, error: err });
    }
  }

  async function setPublished(lab: LabSummary, published: boolean) {
    setBusy(lab.name);
    setNotice(null);
    setActionError(null);
    try {
      const updated = published ? await adminApi.publishLab(lab.name) : await adminApi.unpublishLab(lab.name);
      replace({ ...lab, ...updated, published });
      setNotice(published ? `“${lab.title ?? lab.name}” is published: learners can start it.` : `“${lab.title ?? lab.name}” is no longer published; running sessions go on.`);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && upload.status !== "uploading") void send(file);
  }

  const uploading = upload.status === "uploading";
  return (
    <div
      className={dragging ? "page admin-page drop-active" : "page admin-page"}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="page-header">
        <div>
          <h1>Labs</h1>
          <p className="muted">Upload a lab.yaml or an archive with its guide (.tar.gz, .zip), or drop one on this page. Learners only see published labs.</p>
        </div>
        <div className="header-actions">
          {labs && labs.length > 0 && (
            <input className="search" type="search" placeholder="Filter labs" aria-label="Filter labs" value={filter} onChange={(e) => setFilter(e.target.value)} />
          )}
          <input
            ref={input}
            type="file"
            className="visually-hidden"
            accept={LAB_FILE_ACCEPT}
            aria-label="Lab file"
            tabIndex={-1}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void send(file);
            }}
          />
          <button type="button" className="btn btn-primary" disabled={uploading} onClick={() => input.current?.click()}>
            {uploading ? <Spinner label="Uploading" /> : <UploadIcon />}
            Upload lab
          </button>
        </div>
      </div>

      {uploading && (
        <p className="upload-progress muted" aria-live="polite">
          Uploading and checking {upload.fileName}…
        </p>
      )}
      {upload.status === "failed" && (
        <ProblemAlert title={`${upload.fileName} was not stored`} error={upload.error} onDismiss={() => setUpload({ status: "idle" })} />
      )}
      {actionError !== null && <ProblemAlert title="The lab could not be changed" error={actionError} onDismiss={() => setActionError(null)} />}
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      {error && !labs && <ErrorBanner title="The labs could not be loaded" message={error} onRetry={reload} />}
      {!error && !labs && <Loading label="Loading labs…" />}
      {labs && labs.length === 0 && (
        <EmptyState
          title="No labs yet"
          action={
            <button type="button" className="btn btn-primary" onClick={() => input.current?.click()} disabled={uploading}>
              Upload a lab
            </button>
          }
        >
          Upload a lab.yaml, or an archive holding lab.yaml and its guide folder, to add the first lab.
        </EmptyState>
      )}
      {labs && labs.length > 0 && sorted.length === 0 && (
        <EmptyState title="No lab matches" action={<button type="button" className="btn btn-secondary" onClick={() => setFilter("")}>Clear the filter</button>}>
          No lab has “{filter.trim()}” in its name, title or tags.
        </EmptyState>
      )}
      {sorted.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">All labs, published or not</caption>
            <thead>
              <tr>
                <th scope="col">Lab</th>
                <th scope="col">Name</th>
                <th scope="col">Tags</th>
                <th scope="col">Status</th>
                <th scope="col">Warm pool</th>
                <th scope="col">Updated</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((lab) => (
                <tr key={lab.name}>
                  <td className="cell-main">
                    <strong>{lab.title ?? lab.name}</strong>
                    {lab.description && <div className="muted small clamp-1" title={lab.description}>{lab.description}</div>}
                  </td>
                  <td className="mono small nowrap">{lab.name}</td>
                  <td>
                    {lab.tags && lab.tags.length > 0 ? (
                      <ul className="tags" aria-label="Tags">
                        {lab.tags.map((t) => (
                          <li key={t} className="tag">{t}</li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{lab.published ? <Badge tone="success">Published</Badge> : <Badge tone="neutral">Not published</Badge>}</td>
                  <td><LabPoolCell lab={lab.name} published={lab.published} canEdit={me?.role === "admin"} /></td>
                  <td className="nowrap" title={lab.updatedAt ?? lab.createdAt}>{formatRelative(lab.updatedAt ?? lab.createdAt, now)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className={lab.published ? "btn btn-secondary btn-sm" : "btn btn-primary btn-sm"}
                      disabled={busy === lab.name}
                      onClick={() => setPublished(lab, !lab.published)}
                    >
                      {lab.published ? "Unpublish" : "Publish"}
                    </button>
                    <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => setToDelete(lab)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {toDelete && (
        <ConfirmDialog
          title={`Delete “${toDelete.title ?? toDelete.name}”?`}
          confirmLabel="Delete lab"
          errorTitle="The lab was not deleted"
          busyLabel="Deleting…"
          onClose={() => setToDelete(null)}
          onConfirm={async () => {
            await adminApi.deleteLab(toDelete.name);
            setLabs((prev) => prev?.filter((l) => l.name !== toDelete.name) ?? null);
            setNotice(`“${toDelete.title ?? toDelete.name}” was deleted.`);
            setToDelete(null);
          }}
        >
          <p>
            The lab <strong>{toDelete.title ?? toDelete.name}</strong> (<code>{toDelete.name}</code>) and its uploaded files are removed, and learners can no
            longer start it. Sessions already running keep their copy until they end.
          </p>
          <p className="muted">This cannot be undone; upload the lab again to bring it back.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function UploadIcon() {
  return (
    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 20 20" fill="none">
      <path d="M10 13V3M6 7l4-4 4 4M4 13v3h12v-3" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
