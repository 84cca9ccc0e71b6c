import { useState, type FormEvent } from "react";
import { adminApi, fieldError, otherErrors } from "../../api/admin";
import type { Role, User } from "../../api/types";
import { ErrorBanner, Spinner } from "../../components/ui";
import { Dialog, Field } from "./common";
import { personName } from "./format";

const ROLES: { value: Role; label: string; hint: string }[] = [
  { value: "learner", label: "Learner", hint: "starts and uses published labs" },
  { value: "instructor", label: "Instructor", hint: "also manages labs and watches every session" },
  { value: "admin", label: "Admin", hint: "also manages users and reads the audit log" },
];

export const roleLabel = (role: Role) => ROLES.find((r) => r.value === role)?.label ?? role;

/** Creates a user (no `user`) or edits one's name and role. */
export function UserDialog({ user, self, onClose, onSaved }: { user?: User; self?: boolean; onClose: () => void; onSaved: (u: User) => void }) {
  const [id, setId] = useState(user?.id ?? "");
  const [displayName, setDisplayName] = useState(user?.displayName ?? "");
  const [role, setRole] = useState<Role>(user?.role ?? "learner");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const editing = user !== undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = editing
        ? await adminApi.updateUser(user.id, { displayName: displayName.trim(), ...(self ? {} : { role }) })
        : await adminApi.createUser({ id: id.trim(), displayName: displayName.trim() || undefined, password, role });
      onSaved(saved);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const rest = otherErrors(error, editing ? ["displayName", "role"] : ["id", "displayName", "role", "password"]);
  return (
    <Dialog title={editing ? `Edit ${personName(user.id, user.displayName)}` : "New user"} onClose={() => !busy && onClose()}>
      <form onSubmit={submit} noValidate>
        <div className="dialog-body">
          {rest && <ErrorBanner title={editing ? "The user was not saved" : "The user was not created"} message={rest} />}
          {!editing && (
            <Field label="User id" error={fieldError(error, "id")} hint="Letters, digits, '.', '_', '-' or '@'; used to sign in.">
              {(p) => <input {...p} value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" spellCheck={false} required maxLength={64} data-autofocus />}
            </Field>
          )}
          <Field label="Display name" error={fieldError(error, "displayName")} hint="Optional, shown instead of the id.">
            {(p) => <input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={200} {...(editing ? { "data-autofocus": true } : {})} />}
          </Field>
          <Field label="Role" error={fieldError(error, "role")} hint={self ? "You cannot change your own role; ask another admin." : ROLES.find((r) => r.value === role)?.hint}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={self}>
                {ROLES.map((r) => (
                  <option key={r.value} value={r.value}>{r.label}</option>
                ))}
              </select>
            )}
          </Field>
          {!editing && (
            <Field label="Password" error={fieldError(error, "password")} hint="8 to 256 characters. Tell the user, and ask them to change it.">
              {(p) => <input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />}
            </Field>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy && <Spinner label="Saving" />}
            {editing ? "Save" : "Create user"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function PasswordDialog({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await adminApi.resetPassword(user.id, password);
      onSaved();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const rest = otherErrors(error, ["password"]);
  return (
    <Dialog title={`New password for ${personName(user.id, user.displayName)}`} onClose={() => !busy && onClose()}>
      <form onSubmit={submit} noValidate>
        <div className="dialog-body">
          {rest && <ErrorBanner title="The password was not changed" message={rest} />}
          <Field label="New password" error={fieldError(error, "password")} hint="8 to 256 characters. Tell the user, and ask them to change it.">
            {(p) => <input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required data-autofocus />}
          </Field>
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy && <Spinner label="Saving" />}
            Set password
          </button>
        </div>
      </form>
    </Dialog>
  );
}
