import { describe, expect, it } from "vitest";
import type { LabDetails, SessionNode } from "../api/types";
import { consoleTabs, currentTab, desktopKey, terminalKey, webPortKey } from "./consoles";

const nodes: SessionNode[] = [
  { name: "server", state: "Running" },
  { name: "client", state: "Running" },
  { name: "app", state: "Starting" },
];

const lab: LabDetails = {
  name: "two-hosts",
  published: true,
  nodes: [
    { name: "server", access: { terminal: true, desktop: false, http: [{ name: "web", port: 80 }, { name: "admin", port: 8080 }] } },
    { name: "client", access: { terminal: true, desktop: false, http: [] } },
    { name: "app", access: { terminal: false, desktop: false, http: [{ name: "ui", port: 3000 }] } },
  ],
};

describe("consoleTabs", () => {
  it("lists each node's terminal, then its web ports, in the lab's order", () => {
    expect(consoleTabs(nodes, lab).map((t) => t.key)).toEqual([
      terminalKey("server"),
      webPortKey("server", 80),
      webPortKey("server", 8080),
      terminalKey("client"),
      webPortKey("app", 3000),
    ]);
  });

  it("names web port tabs by node and port name and keeps the node's state", () => {
    const tab = consoleTabs(nodes, lab).find((t) => t.key === webPortKey("app", 3000));
    expect(tab).toMatchObject({ kind: "http", label: "app · ui", port: 3000, portName: "ui", state: "Starting" });
  });

  it("puts a node's desktop between its terminal and its web ports", () => {
    const withDesktops: LabDetails = {
      name: "desktops",
      published: true,
      nodes: [
        { name: "server", access: { terminal: true, desktop: false, http: [{ name: "web", port: 80 }] } },
        { name: "client", access: { terminal: true, desktop: true, http: [{ name: "ui", port: 8080 }] } },
        { name: "app", access: { terminal: false, desktop: true, http: [] } },
      ],
    };
    expect(consoleTabs(nodes, withDesktops).map((t) => t.key)).toEqual([
      terminalKey("server"),
      webPortKey("server", 80),
      terminalKey("client"),
      desktopKey("client"),
      webPortKey("client", 8080),
      desktopKey("app"),
    ]);
    expect(consoleTabs(nodes, withDesktops).find((t) => t.key === desktopKey("app"))).toMatchObject({
      kind: "desktop",
      node: "app",
      label: "app",
      state: "Starting",
    });
  });

  it("offers terminals for every node until the lab's details arrive", () => {
    expect(consoleTabs(nodes, null).map((t) => t.kind)).toEqual(["terminal", "terminal", "terminal"]);
  });
});

describe("currentTab", () => {
  const tabs = consoleTabs(nodes, lab);
  it("keeps the chosen tab while it exists", () => {
    expect(currentTab(tabs, webPortKey("server", 8080))?.key).toBe(webPortKey("server", 8080));
  });
  it("falls back to the first tab", () => {
    expect(currentTab(tabs, "gone:terminal")?.key).toBe(terminalKey("server"));
    expect(currentTab([], null)).toBeNull();
  });

  it("does not repeat \"web\" when the port is called web", () => {
    const lab = { name: "l", published: true, nodes: [{ name: "server", access: { terminal: true, desktop: false, http: [{ name: "web", port: 80 }, { name: "admin", port: 8080 }] } }] };
    const tabs = consoleTabs([{ name: "server", state: "Running" }], lab);
    expect(tabs.filter((t) => t.kind === "http").map((t) => t.label)).toEqual(["server", "server · admin"]);
  });
});
