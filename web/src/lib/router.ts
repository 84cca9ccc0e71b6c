import { useEffect, useState } from "react";

export type Route =
  | { name: "login" }
  | { name: "catalogue" }
  | { name: "sessions" }
  | { name: "start"; id: string }
  | { name: "workspace"; id: string }
  | { name: "notFound" };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/labs") return { name: "catalogue" };
  if (path === "/login") return { name: "login" };
  if (path === "/sessions") return { name: "sessions" };
  let m = /^\/sessions\/([^/]+)\/start$/.exec(path);
  if (m) return { name: "start", id: decodeURIComponent(m[1]) };
  m = /^\/sessions\/([^/]+)$/.exec(path);
  if (m) return { name: "workspace", id: decodeURIComponent(m[1]) };
  return { name: "notFound" };
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
