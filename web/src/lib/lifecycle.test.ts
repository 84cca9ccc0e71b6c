import { describe, expect, it } from "vitest";
import type { Session } from "../api/types";
import { extensionsLeft, reduceWarning, shortSeconds, stoppedByLine, stopSentence, warningsFor } from "./lifecycle";

const running: Session = { id: "s1", lab: "demo", userId: "lea", state: "Running", createdAt: "2026-11-02T09:00:00Z", nodes: [], expiresAt: "2026-11-02T10:00:00Z" };
const idle = JSON.stringify({ kind: "idle", endsAt: "2026-11-02T09:30:00Z", secondsLeft: 90, message: "Still there?", cancelled: false });

describe("lifecycle warnings", () => {
  it("keeps a warning until it is cancelled", () => {
    const shown = reduceWarning({}, idle);
    expect(shown.idle?.message).toBe("Still there?");
    const cancelled = reduceWarning(shown, JSON.stringify({ ...JSON.parse(idle), cancelled: true }));
    expect(cancelled.idle).toBeUndefined();
  });

  it("ignores data it cannot read", () => {
    expect(reduceWarning({}, "not json")).toEqual({});
  });

  it("drops an idle warning once the session is paused, and a time warning once it was extended", () => {
    const now = Date.parse("2026-11-02T09:29:00Z");
    const shown = reduceWarning(reduceWarning({}, idle), JSON.stringify({ kind: "timeLimit", endsAt: "2026-11-02T10:00:00Z", secondsLeft: 60, message: "", cancelled: false }));
    expect(Object.keys(warningsFor(shown, running, now)).sort()).toEqual(["idle", "timeLimit"]);
    expect(warningsFor(shown, { ...running, state: "Paused" }, now)).toEqual({});
    expect(Object.keys(warningsFor(shown, { ...running, expiresAt: "2026-11-02T10:15:00Z" }, now))).toEqual(["idle"]);
  });
});

describe("stop reasons and extensions", () => {
  it("shows the server's sentence, or one of its own for the reason", () => {
    expect(stopSentence({ ...running, state: "Stopped", stopMessage: "You stopped this session." })).toBe("You stopped this session.");
    expect(stopSentence({ ...running, state: "Stopped", stopReason: "TimeLimit" })).toBe("This session stopped because its time was up.");
  });

  it("counts extensions left", () => {
    expect(extensionsLeft({ ...running, extensions: 1, maxExtensions: 2 })).toBe(1);
    expect(extensionsLeft(running)).toBe(0);
  });

  it("formats short times", () => {
    expect(shortSeconds(45)).toBe("45 s");
    expect(shortSeconds(290)).toBe("5 min");
  });
});

describe("who stopped a session, and why", () => {
  const stopped: Session = { ...running, state: "Stopped" };

  it("reads stopReason as a word with stoppedBy", () => {
    expect(stoppedByLine({ ...stopped, stopReason: "Learner", stoppedBy: "lea" }, "lea")).toBe("Stopped by you.");
    expect(stoppedByLine({ ...stopped, stopReason: "Instructor", stoppedBy: "ian" }, "lea")).toBe("Stopped by an instructor, ian.");
    expect(stoppedByLine({ ...stopped, stopReason: "Admin" }, "lea")).toBe("Stopped by an admin.");
    expect(stoppedByLine({ ...stopped, stopReason: "Idle" }, "lea")).toBe("Stopped automatically by Lab Orchestrator.");
    expect(stoppedByLine({ ...stopped, stopReason: "Learner" }, "ian")).toBe("Stopped by its learner.");
    expect(stoppedByLine(stopped, "lea")).toBeUndefined();
  });

  it("reads stopReason as {by, reason}", () => {
    const s: Session = { ...stopped, stopReason: { by: "ian", reason: "The class has ended" } };
    expect(stoppedByLine(s, "lea")).toBe("Stopped by ian.");
    expect(stopSentence(s)).toBe("The class has ended.");
    expect(stopSentence({ ...stopped, stopReason: { by: "lea", reason: "Learner" } })).toBe("Its machines have been removed. Start the lab again to continue.");
    expect(stopSentence({ ...stopped, stopReason: { reason: "TimeLimit" } })).toBe("This session stopped because its time was up.");
  });
});
