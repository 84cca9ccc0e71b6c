import { useMemo, useState } from "react";
import { adminApi } from "../../api/admin";
import type { User } from "../../api/types";
import { useAuth } from "../../auth";
import { Badge, EmptyState, ErrorBanner, Loading } from "../../components/ui";
import { ConfirmDialog, Notice, ProblemAlert, useLoad } from "./common";
import { PasswordDialog, roleLabel, UserDialog } from "./UserDialogs";
import { formatDate, personName } from "./format";

type Open = { kind: "create" } | { kind: "edit"; user: User } | { kind: "password"; user: User } | { kind: "delete"; user: User } | null;

export function UsersAdminPage() {
  const { user: me } = useAuth();
  const { data: users, setData: setUsers, error, reload } = useLoad((signal) => adminApi.users(signal), []);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [filter, setFilter] = useState("");

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (users ?? []).filter((u) => !q || u.id.toLowerCase().includes(q) || u.displayName?.toLowerCase().includes(q) || u.role.includes(q));
  }, [users, filter]);

  function put(user: User) {
    setUsers((prev) => {
      const list = prev ?? [];
      const next = list.some((u) => u.id === user.id) ? list.map((u) => (u.id === user.id ? user : u)) : [...list, user];
      return next.sort((a, b) => a.id.localeCompare(b.id));
    });
  }

  async function toggleDisabled(user: User) {
    setBusy(user.id);
    setNotice(null);
    setActionError(null);
    try {
      const updated = await adminApi.updateUser(user.id, { disabled: !user.disabled });
      put(updated);
      setNotice(updated.disabled ? `${personName(user.id, user.displayName)} is disabled and signed out everywhere.` : `${personName(user.id, user.displayName)} can sign in again.`);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  }

  const done = (message: string) => {
    setOpen(null);
    setActionError(null);
    setNotice(message);
  };

  return (
    <div className="page admin-page">
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted">Who may sign in, and what they may do.</p>
        </div>
        <div className="header-actions">
          {users && users.length > 0 && (
            <input className="search" type="search" placeholder="Filter users" aria-label="Filter users" value={filter} onChange={(e) => setFilter(e.target.value)} />
          )}
          <button type="button" className="btn btn-primary" onClick={() => setOpen({ kind: "create" })}>
            <svg aria-hidden="true" width="16" height="16" viewBox="0 0 20 20" fill="none">
              <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
            New user
          </button>
        </div>
      </div>

      {actionError !== null && <ProblemAlert title="The user could not be changed" error={actionError} onDismiss={() => setActionError(null)} />}
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      {error && !users && <ErrorBanner title="The users could not be loaded" message={error} onRetry={reload} />}
      {!error && !users && <Loading label="Loading users…" />}
      {users && shown.length === 0 && (
        <EmptyState title="No user matches" action={<button type="button" className="btn btn-secondary" onClick={() => setFilter("")}>Clear the filter</button>}>
          No user has “{filter.trim()}” in their id, name or role.
        </EmptyState>
      )}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => {
                const self = u.id === me.id;
                return (
                  <tr key={u.id} className={u.disabled ? "row-dim" : undefined}>
                    <th scope="row" className="cell-main">
                      <strong>{personName(u.id, u.displayName)}</strong>
                      {self && <span className="role-tag">you</span>}
                      {u.displayName && <div className="muted small mono">{u.id}</div>}
                    </th>
                    <td>
                      <Badge tone={u.role === "admin" ? "warning" : u.role === "instructor" ? "info" : "neutral"}>{roleLabel(u.role)}</Badge>
                    </td>
                    <td>
                      {u.disabled ? (
                        <Badge tone="danger">Disabled</Badge>
                      ) : (
                        <Badge tone="success">
                          <span className="dot" aria-hidden="true" />
                          Active
                        </Badge>
                      )}
                    </td>
                    <td className="nowrap">{formatDate(u.createdAt)}</td>
                    <td className="actions">
                      <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen({ kind: "edit", user: u })}>
                        Edit
                      </button>
                      <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen({ kind: "password", user: u })}>
                        Reset password
                      </button>
                      <button
                        type="button"
                        className="btn btn-secondary btn-sm"
                        disabled={self || busy === u.id}
                        title={self ? "You cannot disable yourself; ask another admin." : undefined}
                        onClick={() => toggleDisabled(u)}
                      >
                        {u.disabled ? "Enable" : "Disable"}
                      </button>
                      <button
                        type="button"
                        className="btn btn-danger-ghost btn-sm"
                        disabled={self}
                        title={self ? "You cannot delete yourself; ask another admin." : undefined}
                        onClick={() => setOpen({ kind: "delete", user: u })}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {open?.kind === "create" && (
        <UserDialog
          onClose={() => setOpen(null)}
          onSaved={(u) => {
            put(u);
            done(`${personName(u.id, u.displayName)} was created as ${roleLabel(u.role).toLowerCase()}.`);
          }}
        />
      )}
      {open?.kind === "edit" && (
        <UserDialog
          user={open.user}
          self={open.user.id === me.id}
          onClose={() => setOpen(null)}
          onSaved={(u) => {
            put(u);
            done(`${personName(u.id, u.displayName)} was saved.`);
          }}
        />
      )}
      {open?.kind === "password" && (
        <PasswordDialog user={open.user} onClose={() => setOpen(null)} onSaved={() => done(`${personName(open.user.id, open.user.displayName)} has a new password.`)} />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${personName(open.user.id, open.user.displayName)}?`}
          confirmLabel="Delete user"
          errorTitle={`${personName(open.user.id, open.user.displayName)} was not deleted`}
          busyLabel="Deleting…"
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await adminApi.deleteUser(open.user.id);
            setUsers((prev) => prev?.filter((u) => u.id !== open.user.id) ?? null);
            done(`${personName(open.user.id, open.user.displayName)} was deleted.`);
          }}
        >
          <p>
            The user <strong>{personName(open.user.id, open.user.displayName)}</strong> (<code>{open.user.id}</code>) can no longer sign in; their API tokens and
            stopped sessions are removed. The audit log keeps their id.
          </p>
          <p className="muted">A user with sessions that are not stopped cannot be deleted: stop those first, or disable the user instead.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
