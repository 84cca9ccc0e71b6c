import { describe, expect, it } from "vitest";
import { parseRoute } from "./router";

describe("parseRoute", () => {
  it("knows the pages", () => {
    expect(parseRoute("/")).toEqual({ name: "catalogue" });
    expect(parseRoute("/login")).toEqual({ name: "login" });
    expect(parseRoute("/sessions/")).toEqual({ name: "sessions" });
    expect(parseRoute("/sessions/k3x9/start")).toEqual({ name: "start", id: "k3x9" });
    expect(parseRoute("/sessions/k3x9")).toEqual({ name: "workspace", id: "k3x9" });
    expect(parseRoute("/nope/here")).toEqual({ name: "notFound" });
  });
});
