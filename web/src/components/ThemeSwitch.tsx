import { useState } from "react";
import { applyTheme, readTheme, type Theme } from "../lib/theme";

/** Light, dark or the system's theme; remembered in this browser. */
export function ThemeSwitch() {
  const [theme, setTheme] = useState<Theme>(() => readTheme(window.localStorage));
  return (
    <label className="theme-switch">
      <span className="visually-hidden">Theme</span>
      <select
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next, document.documentElement, window.localStorage);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
