// Only the core and the languages guides use, so the workspace chunk stays small (the full build is ~300 KB).
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import ini from "highlight.js/lib/languages/ini";
import json from "highlight.js/lib/languages/json";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import shell from "highlight.js/lib/languages/shell";
import yaml from "highlight.js/lib/languages/yaml";

hljs.registerLanguage("bash", bash);
hljs.registerLanguage("shell", shell);
hljs.registerLanguage("yaml", yaml);
hljs.registerLanguage("json", json);
hljs.registerLanguage("python", python);
hljs.registerLanguage("plaintext", plaintext);
hljs.registerLanguage("ini", ini);
hljs.registerLanguage("dockerfile", dockerfile);
hljs.configure({ ignoreUnescapedHTML: true });

/** Whether code in this language (or alias, e.g. "sh", "yml", "toml") gets colours. */
export function canHighlight(language: string | undefined): boolean {
  return !!language && !!hljs.getLanguage(language);
}

/**
 * The code as HTML with token spans (hljs-keyword, hljs-string, …), or null for languages it does not know.
 * Its output escapes the code, so the result is as safe as the text was.
 */
export function highlightCode(text: string, language: string | undefined): string | null {
  if (!language || !canHighlight(language)) return null;
  try {
    return hljs.highlight(text, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
}
