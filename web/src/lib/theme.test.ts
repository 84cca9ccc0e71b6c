import { describe, expect, it } from "vitest";
import { applyTheme, readTheme, THEME_KEY } from "./theme";

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

describe("theme", () => {
  it("follows the system until the user picks one, and remembers the pick", () => {
    const storage = memoryStorage();
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    expect(readTheme(storage)).toBe("system");
    applyTheme("dark", root, storage);
    expect(root.dataset.theme).toBe("dark");
    expect(readTheme(storage)).toBe("dark");
    applyTheme("system", root, storage);
    expect(root.dataset.theme).toBeUndefined();
    expect(storage.map.has(THEME_KEY)).toBe(false);
  });

  it("ignores a stored value it does not know, and storage that throws", () => {
    expect(readTheme({ getItem: () => "purple" })).toBe("system");
    expect(readTheme({ getItem: () => { throw new Error("denied"); } })).toBe("system");
  });
});
