import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { api, client } from "./api";
import type { User } from "./api/types";
import { AuthContext } from "./auth";
import { PageBoundary } from "./components/PageBoundary";
import { ServerNotice } from "./components/ServerNotice";
import { ThemeSwitch } from "./components/ThemeSwitch";
import { Toaster } from "./components/Toaster";
import { Link, Loading, ErrorBanner } from "./components/ui";
import { loadWorkspace } from "./lib/workspaceChunk";
import { canOpenAdminPage, navigate, navItems, parseRoute, useLocationPath, type Route } from "./lib/router";
import { LoginPage } from "./pages/LoginPage";
import { CataloguePage } from "./pages/CataloguePage";
import { SessionsPage } from "./pages/SessionsPage";
import { StartPage } from "./pages/StartPage";

// The workspace carries xterm.js; load it only when a workspace opens.
const WorkspacePage = lazy(loadWorkspace);
// Pages for instructors and admins: kept out of the catalogue's bundle.
const AdminPage = lazy(() => import("./pages/admin/AdminPage"));

type AuthState = { status: "checking" } | { status: "anonymous" } | { status: "signed-in"; user: User } | { status: "error"; message: string };

export function App() {
  const path = useLocationPath();
  const route = parseRoute(path);
  const [auth, setAuth] = useState<AuthState>({ status: "checking" });

  const check = useCallback(() => {
    setAuth({ status: "checking" });
    api
      .me()
      .then((user) => setAuth({ status: "signed-in", user }))
      .catch((err) => {
        if (err?.status === 401) setAuth({ status: "anonymous" });
        else setAuth({ status: "error", message: err?.message ?? "Cannot reach the server." });
      });
  }, []);

  useEffect(() => {
    client.onUnauthorized = () => {
      client.setCsrf(undefined);
      setAuth({ status: "anonymous" });
    };
    check();
  }, [check]);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signed out locally either way.
    }
    setAuth({ status: "anonymous" });
    navigate("/login", true);
  }, []);

  useEffect(() => {
    if (auth.status === "anonymous" && route.name !== "login") {
      const back = window.location.pathname + window.location.search;
      navigate(`/login${back && back !== "/" ? `?next=${encodeURIComponent(back)}` : ""}`, true);
    }
    if (auth.status === "signed-in" && route.name === "login") {
      navigate(safeNext(), true);
    }
  }, [auth.status, route.name]);

  const authValue = useMemo(() => (auth.status === "signed-in" ? { user: auth.user, signOut } : null), [auth, signOut]);

  if (auth.status === "checking") return <div className="center-page"><Loading label="Loading Lab Orchestrator…" /></div>;
  if (auth.status === "error")
    return (
      <div className="center-page narrow">
        <ErrorBanner title="Lab Orchestrator is not reachable" message={auth.message} onRetry={check} />
      </div>
    );
  if (auth.status === "anonymous" || route.name === "login" || !authValue) {
    return (
      <LoginPage
        onSignedIn={(user) => {
          setAuth({ status: "signed-in", user });
          navigate(safeNext(), true);
        }}
      />
    );
  }

  const workspace = route.name === "workspace";
  return (
    <AuthContext.Provider value={authValue}>
      <div className={workspace ? "app app-workspace" : "app"}>
        <a className="skip-link" href="#main">Skip to content</a>
        <ServerNotice />
        <Toaster />
        <Header user={authValue.user} onSignOut={signOut} route={route} />
        <main id="main" className={workspace ? "main-workspace" : "main"} tabIndex={-1}>
          {route.name === "catalogue" && <CataloguePage />}
          {route.name === "sessions" && <SessionsPage />}
          {route.name === "start" && <StartPage id={route.id} />}
          {route.name === "workspace" && (
            <PageBoundary>
              <Suspense fallback={<Loading label="Opening the workspace…" />}>
                <WorkspacePage id={route.id} />
              </Suspense>
            </PageBoundary>
          )}
          {route.name === "admin" &&
            (canOpenAdminPage(authValue.user.role, route.page) ? (
              <PageBoundary>
                <Suspense fallback={<Loading label="Loading…" />}>
                  <AdminPage page={route.page} />
                </Suspense>
              </PageBoundary>
            ) : (
              <NoAccess forWhom={canOpenAdminPage("instructor", route.page) ? "instructors and admins" : "admins"} />
            ))}
          {route.name === "notFound" && (
            <div className="page narrow">
              <h1>Page not found</h1>
              <p className="muted">There is nothing at this address.</p>
              <Link className="btn btn-primary" href="/">Go to the catalogue</Link>
            </div>
          )}
        </main>
      </div>
    </AuthContext.Provider>
  );
}

function safeNext(): string {
  const next = new URLSearchParams(window.location.search).get("next");
  // Only same-site paths; never "//host" or a full URL.
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login")) return next;
  return "/";
}

function NoAccess({ forWhom }: { forWhom: string }) {
  return (
    <div className="page narrow">
      <h1>You do not have access to this page</h1>
      <p className="muted">This page is for {forWhom}. If you need it, ask an admin to change your role.</p>
      <Link className="btn btn-primary" href="/">Go to the catalogue</Link>
    </div>
  );
}

function Header({ user, onSignOut, route }: { user: User; onSignOut: () => void; route: Route }) {
  return (
    <header className="topbar">
      <Link href="/" className="brand" aria-label="Lab Orchestrator, catalogue">
        <svg aria-hidden="true" width="26" height="26" viewBox="0 0 32 32">
          <rect width="32" height="32" rx="7" fill="var(--accent)" />
          <path d="M9 11l5 5-5 5M16 22h7" stroke="white" strokeWidth="2.5" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span>Lab Orchestrator</span>
      </Link>
      <nav aria-label="Main">
        {navItems(user.role).map((item) => (
          <Link key={item.href} href={item.href} className="nav-link" aria-current={item.matches(route) ? "page" : undefined}>
            {item.label}
          </Link>
        ))}
      </nav>
      <div className="topbar-user">
        <ThemeSwitch />
        <span className="user-name" title={user.id}>
          {user.displayName || user.id}
          {user.role !== "learner" && <span className="role-tag">{user.role}</span>}
        </span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
