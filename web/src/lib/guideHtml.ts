/** A code block of a guide page, as the server rendered it. */
export interface GuideCodeBlock {
  /** Position on the page; its toolbar mounts at `[data-code-toolbar="index"]`. */
  index: number;
  language?: string;
  /** The node whose terminal the author meant this code for (`run=NODE`). */
  runNode?: string;
  /** The node whose desktop clipboard the author meant this text for (`desktop=NODE`). */
  desktopNode?: string;
  /** The code as plain text, without its final line break. */
  text: string;
}

export interface PreparedGuideHtml {
  /** The page HTML with step placeholders turned into mount points and code blocks wrapped with a toolbar slot. */
  html: string;
  /** Steps that have a place in the HTML, in page order; each mounts at `[data-step-mount="id"]`. */
  placed: string[];
  /** Steps of the page that have no placeholder: shown after the HTML so none is lost. */
  missing: string[];
  code: GuideCodeBlock[];
}

/** Turns code text into highlighted HTML, or null to keep it plain. */
export type Highlighter = (text: string, language: string | undefined) => string | null;

// Attribute values may hold a raw ">" (HTML serialisers escape only "&" and quotes in them).
const TAG_ATTRS = String.raw`((?:[^>"']|"[^"]*"|'[^']*')*)`;
const PLACEHOLDER = new RegExp(String.raw`<div\b${TAG_ATTRS}>[^<]*<\/div>`, "gi");
const PRE = new RegExp(String.raw`<pre\b${TAG_ATTRS}>([\s\S]*?)<\/pre>`, "gi");
const CODE = new RegExp(String.raw`^\s*<code\b${TAG_ATTRS}>([\s\S]*?)<\/code>\s*$`, "i");
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * Prepares a page's HTML for the step widgets and code toolbars, which React mounts into the marked places
 * (placeholders may sit inside lists or other blocks, so the HTML stays one piece rather than being cut apart).
 * Placeholders of unknown steps, and second placeholders of the same step, are dropped.
 */
export function prepareGuideHtml(html: string, stepIds: readonly string[], highlight?: Highlighter): PreparedGuideHtml {
  const known = new Set(stepIds);
  const placed: string[] = [];
  let out = html.replace(PLACEHOLDER, (whole, attrText: string) => {
    const attrs = parseAttributes(attrText);
    if (!hasClass(attrs.class, "guide-step")) return whole;
    const id = attrs["data-step"] ?? "";
    if (!known.has(id) || placed.includes(id)) return "";
    placed.push(id);
    return `<div class="guide-step" data-step-mount="${escapeAttr(id)}"></div>`;
  });

  const code: GuideCodeBlock[] = [];
  out = out.replace(PRE, (whole, preAttrText: string, inner: string) => {
    const pre = parseAttributes(preAttrText);
    if (!hasClass(pre.class, "guide-code")) return whole;
    const m = CODE.exec(inner);
    const codeAttrs = m ? parseAttributes(m[1]) : {};
    const body = m ? m[2] : inner;
    const language = pre["data-language"] || languageFromClass(codeAttrs.class);
    const runNode = pre["data-run-node"] || undefined;
    const desktopNode = pre["data-desktop-node"] || undefined;
    // Without the final line break, so a copied command does not run the moment it is pasted.
    const text = decodeEntities(body.replace(/<[^>]*>/g, "")).replace(/\n+$/, "");
    const index = code.length;
    code.push({ index, language, runNode, desktopNode, text });
    const highlighted = highlight?.(text, language) ?? null;
    const codeClass = [codeAttrs.class, highlighted !== null ? "hljs" : undefined].filter(Boolean).join(" ");
    const codeHtml = `<code${codeClass ? ` class="${escapeAttr(codeClass)}"` : ""}>${highlighted ?? body}</code>`;
    return (
      `<div class="code-block"><div class="code-toolbar" data-code-toolbar="${index}"></div>` +
      `<pre${preAttrText}>${codeHtml}</pre></div>`
    );
  });

  return { html: out, placed, missing: stepIds.filter((id) => !placed.includes(id)), code };
}

export function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) {
    const name = m[1].toLowerCase();
    if (name in attrs) continue;
    attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return attrs;
}

function hasClass(classAttr: string | undefined, name: string): boolean {
  return (classAttr ?? "").split(/\s+/).includes(name);
}

/** "language-bash hljs" → "bash". */
export function languageFromClass(classAttr: string | undefined): string | undefined {
  const m = /(?:^|\s)(?:language|lang)-([^\s]+)/.exec(classAttr ?? "");
  return m ? m[1] : undefined;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const cp = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const LEADING_H1 = /^\s*<h1\b[^>]*>([\s\S]*?)<\/h1>\s*/i;

/** Drops the page's first heading when it only repeats the page title, which the guide shows above the page. */
export function dropRepeatedTitle(html: string, title: string): string {
  const m = LEADING_H1.exec(html);
  if (!m) return html;
  const norm = (t: string) => t.replace(/\s+/g, " ").trim().toLowerCase();
  return norm(decodeEntities(m[1].replace(/<[^>]*>/g, ""))) === norm(title) ? html.slice(m[0].length) : html;
}
