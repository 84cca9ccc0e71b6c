/** The workspace's code (xterm.js and the guide), loaded on demand: by App's lazy route and ahead of time by the start page. */
export const loadWorkspace = () => import("../pages/WorkspacePage");
