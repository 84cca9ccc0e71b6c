import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { checkSessionBeforeReconnect } from "./reconnect";

const session = (state: string) => ({ id: "s1", lab: "hello-linux", userId: "lea", state, createdAt: "", nodes: [] }) as never;

describe("checkSessionBeforeReconnect", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says running or stopped from the session's state", async () => {
    vi.spyOn(api, "session").mockResolvedValueOnce(session("Running")).mockResolvedValueOnce(session("Stopping"));
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "running" });
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "stopped" });
  });

  it("gives up on 401, 403 and 404 with the server's message, but not on other failures", async () => {
    const refused = Object.assign(new Error("This session belongs to another user."), { status: 403 });
    vi.spyOn(api, "session").mockRejectedValueOnce(refused).mockRejectedValueOnce(Object.assign(new Error("Bad gateway"), { status: 502 }));
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "refused", message: "This session belongs to another user." });
    expect(await checkSessionBeforeReconnect("s1")).toEqual({ kind: "unknown" });
  });
});
