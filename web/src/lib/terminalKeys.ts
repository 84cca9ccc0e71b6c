/** The keys that move focus out of a terminal, shown in its help text (WCAG 2.1.2, no keyboard trap). */
export const LEAVE_TERMINAL_HINT = "Esc then Tab leaves the terminal";

/** How long a lone Esc waits for a Tab before it goes to the shell after all. */
export const ESC_HOLD_MS = 400;

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/**
 * What to do with a key: "pass" it to the terminal; "hold" it (an Esc, which may be the start of Esc then Tab);
 * "leave": the Tab after an Esc, which goes to neither the shell nor xterm, so the browser moves focus on and the held
 * Esc is dropped; "flush": send the held Esc to the shell first, then pass this key.
 */
export type LeaveKeyAction = "pass" | "hold" | "leave" | "flush";

const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta"]);

/**
 * A terminal keeps Tab for the shell (completion), so Tab alone cannot leave it. Esc followed by Tab or Shift+Tab
 * does. The Esc is held back until the next key (or ESC_HOLD_MS) so that leaving does not leave a stray Esc in the
 * shell, while Esc for the shell (vi, readline) still arrives, before whatever key follows it.
 */
export function leaveKeyTracker(): { onKey: (e: KeyLike) => LeaveKeyAction; release: () => boolean } {
  let held = false;
  return {
    onKey(e) {
      if (MODIFIERS.has(e.key)) return "pass";
      const plain = !e.ctrlKey && !e.altKey && !e.metaKey;
      if (held) {
        held = false;
        // Anything else, a second Esc included, sends the held Esc and then itself.
        return e.key === "Tab" && plain ? "leave" : "flush";
      }
      if (e.key === "Escape" && plain) {
        held = true;
        return "hold";
      }
      return "pass";
    },
    /** The hold timed out: true when an Esc was held (send it now). */
    release() {
      const was = held;
      held = false;
      return was;
    },
  };
}
