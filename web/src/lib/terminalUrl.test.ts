import { describe, expect, it } from "vitest";
import { classifyClose, terminalUrl } from "./terminalUrl";

describe("terminalUrl", () => {
  it("uses the page's origin and ws/wss", () => {
    expect(terminalUrl({ protocol: "http:", host: "127.0.0.1:8080" }, "ab12", "server", 120, 40)).toBe(
      "ws://127.0.0.1:8080/gateway/sessions/ab12/nodes/server/terminal?cols=120&rows=40",
    );
    expect(terminalUrl({ protocol: "https:", host: "lab.example.org" }, "a b", "n/1", 0, 5000)).toBe(
      "wss://lab.example.org/gateway/sessions/a%20b/nodes/n%2F1/terminal?cols=80&rows=1000",
    );
  });
});

describe("reconnect and close handling", () => {
  it("maps close codes", () => {
    expect(classifyClose(4000, false)).toBe("stopped");
    expect(classifyClose(1000, true)).toBe("exited");
    expect(classifyClose(1011, false)).toBe("failed");
    expect(classifyClose(1006, false)).toBe("reconnect");
    expect(classifyClose(4004, false)).toBe("reset");
    expect(classifyClose(4003, false)).toBe("reconnect");
    expect(classifyClose(1001, false)).toBe("reconnect");
  });
});
