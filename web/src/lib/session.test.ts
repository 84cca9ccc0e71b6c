import { describe, expect, it } from "vitest";
import type { Session } from "../api/types";
import { initialStream, isActive, isFinal, reduceSessionEvent, startProgress, stateTone } from "./session";

function session(partial: Partial<Session> = {}): Session {
  return {
    id: "k3x9",
    lab: "two-hosts",
    userId: "lea",
    state: "Pending",
    createdAt: "2026-11-29T10:10:00+00:00",
    nodes: [
      { name: "server", state: "Pending" },
      { name: "client", state: "Pending" },
    ],
    ...partial,
  };
}

const ev = (id: string, s: unknown) => ({ id, data: typeof s === "string" ? s : JSON.stringify(s) });

describe("reduceSessionEvent", () => {
  it("takes the whole session from each event", () => {
    let st = reduceSessionEvent(initialStream, ev("1", session()));
    expect(st.session?.state).toBe("Pending");
    expect(st.lastEventId).toBe(1);
    st = reduceSessionEvent(st, ev("2", session({ state: "Starting", nodes: [{ name: "server", state: "Creating" }, { name: "client", state: "Pending" }] })));
    expect(st.session?.state).toBe("Starting");
    expect(st.session?.nodes[0].state).toBe("Creating");
    expect(st.lastEventId).toBe(2);
  });

  it("ignores events that are older than or as old as the last one", () => {
    const st = reduceSessionEvent(reduceSessionEvent(initialStream, ev("3", session({ state: "Running" }))), ev("2", session({ state: "Starting" })));
    expect(st.session?.state).toBe("Running");
    expect(reduceSessionEvent(st, ev("3", session({ state: "Failed" })))).toBe(st);
  });

  it("accepts events without an id", () => {
    const st = reduceSessionEvent(initialStream, ev("", session({ state: "Starting" })));
    expect(st.session?.state).toBe("Starting");
    expect(st.lastEventId).toBe(0);
  });

  it("keeps the last good session when data cannot be read", () => {
    const good = reduceSessionEvent(initialStream, ev("1", session()));
    const bad = reduceSessionEvent(good, ev("2", "{not json"));
    expect(bad.session).toBe(good.session);
    expect(bad.error).toMatch(/could not be read/);
    expect(bad.error).not.toContain("{");
    const wrong = reduceSessionEvent(good, ev("2", { hello: "world" }));
    expect(wrong.session).toBe(good.session);
    const next = reduceSessionEvent(bad, ev("2", session({ state: "Running" })));
    expect(next.error).toBeUndefined();
    expect(next.session?.state).toBe("Running");
  });

  it("keeps credentials an earlier event carried", () => {
    const creds = [{ node: "server", name: "learner", username: "learner", password: "pw" }];
    const st = reduceSessionEvent(reduceSessionEvent(initialStream, ev("1", session({ credentials: creds }))), ev("2", session({ state: "Running" })));
    expect(st.session?.credentials).toEqual(creds);
  });
});

describe("startProgress", () => {
  it("moves with the node states and fills only when Running", () => {
    expect(startProgress(undefined)).toBe(0);
    const pending = startProgress(session());
    const creating = startProgress(session({ state: "Starting", nodes: [{ name: "a", state: "Creating" }, { name: "b", state: "Pending" }] }));
    const almost = startProgress(session({ state: "Starting", nodes: [{ name: "a", state: "Running" }, { name: "b", state: "Running" }] }));
    expect(pending).toBe(5);
    expect(creating).toBeGreaterThan(pending);
    expect(almost).toBeGreaterThan(creating);
    expect(almost).toBeLessThan(100);
    expect(startProgress(session({ state: "Running" }))).toBe(100);
  });
});

describe("state helpers", () => {
  it("classifies states", () => {
    expect(isFinal("Running")).toBe(true);
    expect(isFinal("Starting")).toBe(false);
    expect(isActive("Stopped")).toBe(false);
    expect(isActive("Pending")).toBe(true);
    expect(stateTone("Failed")).toBe("danger");
    expect(stateTone("Creating")).toBe("info");
  });
});
