/** The keys that move focus out of a terminal, shown in its help text (WCAG 2.1.2, no keyboard trap). */
export const LEAVE_TERMINAL_HINT = "Esc then Tab leaves the terminal";

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta"]);

/**
 * A terminal keeps Tab for the shell (completion), so Tab alone cannot leave it. Esc followed by Tab or Shift+Tab
 * does: the Esc still reaches the shell, the Tab does not and moves focus as anywhere else on the page.
 * Returns a function that says, key by key, whether the key leaves the terminal.
 */
export function leaveKeyTracker(): (e: KeyLike) => "leave" | "pass" {
  let armed = false;
  return (e) => {
    if (MODIFIERS.has(e.key)) return "pass";
    if (e.key === "Escape" && !e.ctrlKey && !e.altKey && !e.metaKey) {
      armed = true;
      return "pass";
    }
    const leave = armed && e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey;
    armed = false;
    return leave ? "leave" : "pass";
  };
}
