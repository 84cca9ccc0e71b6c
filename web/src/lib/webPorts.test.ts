import { describe, expect, it } from "vitest";
import { canFrame, frameFriendlyUrl, siteOf } from "./webPorts";

describe("web-port frames", () => {
  it("computes sites like browsers do for the hosts the server hands out", () => {
    expect(siteOf("abc-web-80.ports.lab.localhost")).toBe("lab.localhost");
    expect(siteOf("lab.localhost")).toBe("lab.localhost");
    expect(siteOf("abc-web-80.ports.localhost")).toBe("ports.localhost");
    expect(siteOf("localhost")).toBe("localhost");
    expect(siteOf("127.0.0.1")).toBe("127.0.0.1");
    expect(siteOf("Lab.Example.COM.")).toBe("example.com");
  });

  it("frames a port only when it shares the workspace's site", () => {
    expect(canFrame("http://abc-web-80.ports.lab.localhost:8081/?access_token=x", "lab.localhost")).toBe(true);
    expect(canFrame("https://abc-web-80.ports.lab.example.com/", "lab.example.com")).toBe(true);
    expect(canFrame("http://abc-web-80.ports.localhost:8081/", "127.0.0.1")).toBe(false);
    expect(canFrame("http://abc-web-80.ports.localhost:8081/", "localhost")).toBe(false);
  });

  it("suggests a lab.localhost address for loopback workspaces only", () => {
    expect(frameFriendlyUrl({ protocol: "http:", hostname: "127.0.0.1", port: "8080", pathname: "/sessions/a" })).toBe("http://lab.localhost:8080/sessions/a");
    expect(frameFriendlyUrl({ protocol: "https:", hostname: "lab.example.com", port: "", pathname: "/" })).toBeNull();
  });
});
