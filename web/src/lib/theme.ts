/** The colour theme: the system's (prefers-color-scheme) unless the user picked light or dark; kept in localStorage. */
export type Theme = "system" | "light" | "dark";

export const THEME_KEY = "labo.theme";

export function readTheme(storage: Pick<Storage, "getItem"> | undefined): Theme {
  try {
    const v = storage?.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

/** Sets data-theme on <html> ("system" removes it, so the media query decides) and remembers the choice. */
export function applyTheme(theme: Theme, root: HTMLElement, storage?: Pick<Storage, "setItem" | "removeItem">): void {
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    if (theme === "system") storage?.removeItem(THEME_KEY);
    else storage?.setItem(THEME_KEY, theme);
  } catch {
    /* private mode: the choice lasts for this page */
  }
}
