import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api";
import type { User } from "../api/types";
import { Spinner } from "../components/ui";

export function LoginPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [userId, setUserId] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!userId.trim() || !password) {
      setError("Enter your user name and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await api.login(userId.trim(), password);
      onSignedIn(user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError("The user name or password is not right.");
      else setError(err instanceof Error ? err.message : "Signing in failed.");
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <main className="login-card" id="main">
        <div className="login-brand">
          <svg aria-hidden="true" width="40" height="40" viewBox="0 0 32 32">
            <rect width="32" height="32" rx="7" fill="var(--accent)" />
            <path d="M9 11l5 5-5 5M16 22h7" stroke="white" strokeWidth="2.5" fill="none" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <h1>Sign in to Lab Orchestrator</h1>
          <p className="muted">Hands-on labs with real machines, one click away.</p>
        </div>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="userId">User name</label>
            <input id="userId" name="username" autoComplete="username" autoFocus value={userId} onChange={(e) => setUserId(e.target.value)} disabled={busy} />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} />
          </div>
          {error && (
            <div className="alert alert-danger" role="alert">
              <div>
                {error.split("\n").map((l, i) => (
                  <p key={i}>{l}</p>
                ))}
              </div>
            </div>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? <><Spinner label="Signing in" /> Signing in…</> : "Sign in"}
          </button>
        </form>
      </main>
    </div>
  );
}
