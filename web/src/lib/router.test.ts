import { describe, expect, it } from "vitest";
import { canOpenAdminPage, navItems, parseRoute } from "./router";

describe("parseRoute", () => {
  it("knows the pages", () => {
    expect(parseRoute("/")).toEqual({ name: "catalogue" });
    expect(parseRoute("/login")).toEqual({ name: "login" });
    expect(parseRoute("/sessions/")).toEqual({ name: "sessions" });
    expect(parseRoute("/sessions/k3x9/start")).toEqual({ name: "start", id: "k3x9" });
    expect(parseRoute("/sessions/k3x9")).toEqual({ name: "workspace", id: "k3x9" });
    expect(parseRoute("/nope/here")).toEqual({ name: "notFound" });
  });

  it("knows the admin pages", () => {
    expect(parseRoute("/admin/labs")).toEqual({ name: "admin", page: "labs" });
    expect(parseRoute("/admin/users/")).toEqual({ name: "admin", page: "users" });
    expect(parseRoute("/admin/sessions")).toEqual({ name: "admin", page: "sessions" });
    expect(parseRoute("/admin/audit")).toEqual({ name: "admin", page: "audit" });
    expect(parseRoute("/admin")).toEqual({ name: "admin", page: "labs" });
    expect(parseRoute("/admin/nothing")).toEqual({ name: "notFound" });
    expect(parseRoute("/admin/labs/extra")).toEqual({ name: "notFound" });
  });
});

describe("admin access and navigation", () => {
  it("lets instructors manage labs and see all sessions, and only admins see users and the audit log", () => {
    expect(canOpenAdminPage("learner", "labs")).toBe(false);
    expect(canOpenAdminPage("learner", "sessions")).toBe(false);
    expect(canOpenAdminPage("instructor", "labs")).toBe(true);
    expect(canOpenAdminPage("instructor", "sessions")).toBe(true);
    expect(canOpenAdminPage("instructor", "users")).toBe(false);
    expect(canOpenAdminPage("instructor", "audit")).toBe(false);
    expect(canOpenAdminPage("admin", "users")).toBe(true);
    expect(canOpenAdminPage("admin", "audit")).toBe(true);
  });

  it("shows each role only the links it may use", () => {
    const labels = (role: "learner" | "instructor" | "admin") => navItems(role).map((i) => i.label);
    expect(labels("learner")).toEqual(["Catalogue", "My sessions"]);
    expect(labels("instructor")).toEqual(["Catalogue", "My sessions", "Labs", "All sessions"]);
    expect(labels("admin")).toEqual(["Catalogue", "My sessions", "Labs", "All sessions", "Users", "Audit log"]);
    const users = navItems("admin").find((i) => i.label === "Users")!;
    expect(users.href).toBe("/admin/users");
    expect(users.matches({ name: "admin", page: "users" })).toBe(true);
    expect(users.matches({ name: "admin", page: "labs" })).toBe(false);
  });
});
