import { describe, expect, it } from "vitest";
import { canHighlight, highlightCode } from "./highlight";

describe("highlightCode", () => {
  it("colours the languages guides use, with their aliases", () => {
    for (const lang of ["bash", "sh", "shell", "console", "yaml", "yml", "json", "python", "py", "ini", "toml", "dockerfile", "plaintext", "text"]) {
      expect(canHighlight(lang), lang).toBe(true);
    }
    expect(highlightCode("echo 'hi' # greet", "bash")).toBe(
      '<span class="hljs-built_in">echo</span> <span class="hljs-string">&#x27;hi&#x27;</span> <span class="hljs-comment"># greet</span>',
    );
  });

  it("escapes the code", () => {
    const html = highlightCode('<img src=x onerror="alert(1)">', "plaintext");
    expect(html).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("leaves unknown languages plain", () => {
    expect(canHighlight("cobol")).toBe(false);
    expect(highlightCode("x", "cobol")).toBeNull();
    expect(highlightCode("x", undefined)).toBeNull();
  });
});
