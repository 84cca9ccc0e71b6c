import { useEffect, useState } from "react";
import type { Role } from "../api/types";

/** The pages for instructors and admins, under /admin/…. */
export type AdminPageName = "labs" | "users" | "sessions" | "audit";

export type Route =
  | { name: "login" }
  | { name: "catalogue" }
  | { name: "sessions" }
  | { name: "start"; id: string }
  | { name: "workspace"; id: string }
  | { name: "admin"; page: AdminPageName }
  | { name: "notFound" };

const ADMIN_PAGES: readonly AdminPageName[] = ["labs", "sessions", "users", "audit"];

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/labs") return { name: "catalogue" };
  if (path === "/login") return { name: "login" };
  if (path === "/sessions") return { name: "sessions" };
  if (path === "/admin") return { name: "admin", page: "labs" };
  let m = /^\/admin\/([^/]+)$/.exec(path);
  if (m && (ADMIN_PAGES as readonly string[]).includes(m[1])) return { name: "admin", page: m[1] as AdminPageName };
  m = /^\/sessions\/([^/]+)\/start$/.exec(path);
  if (m) return { name: "start", id: decodeURIComponent(m[1]) };
  m = /^\/sessions\/([^/]+)$/.exec(path);
  if (m) return { name: "workspace", id: decodeURIComponent(m[1]) };
  return { name: "notFound" };
}

/** Who may open each admin page; the server enforces the same rules (403), this only keeps the UI honest. */
const ADMIN_ACCESS: Record<AdminPageName, readonly Role[]> = {
  labs: ["instructor", "admin"],
  sessions: ["instructor", "admin"],
  users: ["admin"],
  audit: ["admin"],
};

export function canOpenAdminPage(role: Role, page: AdminPageName): boolean {
  return ADMIN_ACCESS[page].includes(role);
}

export interface NavItem {
  href: string;
  label: string;
  /** True when the link belongs to this route (for aria-current). */
  matches: (route: Route) => boolean;
}

const ADMIN_NAV: { page: AdminPageName; label: string }[] = [
  { page: "labs", label: "Labs" },
  { page: "sessions", label: "All sessions" },
  { page: "users", label: "Users" },
  { page: "audit", label: "Audit log" },
];

/** The main navigation a role sees: learners the catalogue and their sessions, instructors and admins more. */
export function navItems(role: Role): NavItem[] {
  const items: NavItem[] = [
    { href: "/", label: "Catalogue", matches: (r) => r.name === "catalogue" },
    { href: "/sessions", label: "My sessions", matches: (r) => r.name === "sessions" },
  ];
  for (const { page, label } of ADMIN_NAV) {
    if (canOpenAdminPage(role, page)) items.push({ href: `/admin/${page}`, label, matches: (r) => r.name === "admin" && r.page === page });
  }
  return items;
}

export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function useLocationPath(): string {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return path;
}
