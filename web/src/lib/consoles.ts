import type { LabDetails, SessionNode } from "../api/types";

/** One tab of the workspace's machines pane: a node's terminal, its desktop, or one of its web ports. */
export type ConsoleTab =
  | { key: string; node: string; kind: "terminal"; label: string; state: string }
  | { key: string; node: string; kind: "desktop"; label: string; state: string }
  | { key: string; node: string; kind: "http"; label: string; state: string; port: number; portName: string };

export const terminalKey = (node: string) => `${node}:terminal`;
export const desktopKey = (node: string) => `${node}:desktop`;
export const webPortKey = (node: string, port: number) => `${node}:http:${port}`;

/**
 * The tabs a session offers, node by node: its terminal (unless the lab turns it off), its desktop (when the lab offers
 * one), then its web ports, in the lab's order. Before the lab's details arrive every node gets a terminal tab, which is what most labs offer.
 */
export function consoleTabs(nodes: readonly SessionNode[], lab: LabDetails | null): ConsoleTab[] {
  const tabs: ConsoleTab[] = [];
  for (const n of nodes) {
    const spec = lab?.nodes.find((x) => x.name === n.name);
    if (!spec || spec.access?.terminal !== false) {
      tabs.push({ key: terminalKey(n.name), node: n.name, kind: "terminal", label: n.name, state: n.state });
    }
    if (spec?.access?.desktop) {
      tabs.push({ key: desktopKey(n.name), node: n.name, kind: "desktop", label: n.name, state: n.state });
    }
    for (const port of spec?.access?.http ?? []) {
      // The tab already says "web": a port named "web" (or "http") adds nothing but a repeat ("server · web web").
      const generic = /^(web|http)$/i.test(port.name);
      tabs.push({ key: webPortKey(n.name, port.port), node: n.name, kind: "http", label: generic ? n.name : `${n.name} · ${port.name}`, state: n.state, port: port.port, portName: port.name });
    }
  }
  return tabs;
}

/** The tab to show: the chosen one while it exists, else the first. */
export function currentTab(tabs: readonly ConsoleTab[], chosen: string | null): ConsoleTab | null {
  return tabs.find((t) => t.key === chosen) ?? tabs[0] ?? null;
}
