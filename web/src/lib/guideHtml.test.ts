import { describe, expect, it } from "vitest";
import { decodeEntities, dropRepeatedTitle, languageFromClass, parseAttributes, prepareGuideHtml } from "./guideHtml";

const page = [
  "<h1>Files</h1>",
  "<p>Make a folder:</p>",
  '<pre class="guide-code" data-language="bash" data-run-node="linux"><code class="language-bash">mkdir -p ~/projects &amp;&amp; ls &gt; out.txt\n</code></pre>',
  '<div class="guide-step" data-step="make-folder" data-title="Create the projects folder"></div>',
  "<ol><li>Then:",
  '<div class="guide-step" data-step="read" data-title="a > b"></div>',
  "</li></ol>",
  '<pre class="guide-code"><code>plain &lt;text&gt;</code></pre>',
].join("\n");

describe("prepareGuideHtml", () => {
  it("turns step placeholders into mount points, also inside lists", () => {
    const r = prepareGuideHtml(page, ["make-folder", "read"]);
    expect(r.placed).toEqual(["make-folder", "read"]);
    expect(r.missing).toEqual([]);
    expect(r.html).toContain('<div class="guide-step" data-step-mount="make-folder"></div>');
    expect(r.html).toContain('<ol><li>Then:\n<div class="guide-step" data-step-mount="read"></div>\n</li></ol>');
    expect(r.html).not.toContain("data-step=");
  });

  it("drops placeholders of unknown or repeated steps and lists steps without one", () => {
    const html = '<div class="guide-step" data-step="x"></div><div data-step="a" class="guide-step"></div><div class="guide-step" data-step="a"></div>';
    const r = prepareGuideHtml(html, ["a", "b"]);
    expect(r.placed).toEqual(["a"]);
    expect(r.missing).toEqual(["b"]);
    expect(r.html).toBe('<div class="guide-step" data-step-mount="a"></div>');
  });

  it("leaves other divs alone", () => {
    const html = '<div class="markdown-alert markdown-alert-note"><p class="markdown-alert-title">Note</p><p>x</p></div><div>text</div>';
    expect(prepareGuideHtml(html, []).html).toBe(html);
  });

  it("wraps code blocks with a toolbar slot and reads their text, language and node", () => {
    const r = prepareGuideHtml(page, ["make-folder", "read"]);
    expect(r.code).toEqual([
      { index: 0, language: "bash", runNode: "linux", text: "mkdir -p ~/projects && ls > out.txt" },
      { index: 1, language: undefined, runNode: undefined, text: "plain <text>" },
    ]);
    expect(r.html).toContain(
      '<div class="code-block"><div class="code-toolbar" data-code-toolbar="0"></div><pre class="guide-code" data-language="bash" data-run-node="linux"><code class="language-bash">mkdir',
    );
    expect(r.html).toContain('<div class="code-toolbar" data-code-toolbar="1"></div><pre class="guide-code"><code>plain &lt;text&gt;</code></pre></div>');
  });

  it("reads the desktop a block is meant for, beside or instead of a terminal", () => {
    const html =
      '<pre class="guide-code" data-language="bash" data-run-node="linux" data-desktop-node="linux"><code>ls</code></pre>' +
      '<pre class="guide-code" data-desktop-node="desk"><code>https://example.org/?a=1&amp;b=2\n</code></pre>';
    expect(prepareGuideHtml(html, []).code).toEqual([
      { index: 0, language: "bash", runNode: "linux", desktopNode: "linux", text: "ls" },
      { index: 1, language: undefined, runNode: undefined, desktopNode: "desk", text: "https://example.org/?a=1&b=2" },
    ]);
  });

  it("puts highlighted code in place of the escaped text", () => {
    const r = prepareGuideHtml(page, [], (text, lang) => (lang === "bash" ? `<span class="hljs-built_in">${text.length}</span>` : null));
    expect(r.html).toContain('<code class="language-bash hljs"><span class="hljs-built_in">35</span></code>');
    expect(r.html).toContain("<code>plain &lt;text&gt;</code>");
  });

  it("keeps pre blocks that are not guide code as they are", () => {
    const html = "<pre><code>x</code></pre>";
    expect(prepareGuideHtml(html, [])).toEqual({ html, placed: [], missing: [], code: [] });
  });
});

describe("HTML helpers", () => {
  it("parses attributes in any quoting", () => {
    expect(parseAttributes(` class="a b" data-x='1' data-y=2 hidden data-title="x &amp; y > z"`)).toEqual({
      class: "a b",
      "data-x": "1",
      "data-y": "2",
      hidden: "",
      "data-title": "x & y > z",
    });
  });
  it("decodes entities", () => {
    expect(decodeEntities("&lt;a&gt; &amp;amp; &quot;&#39;&#x41;&nbsp;&unknown;")).toBe("<a> &amp; \"'A\u00a0&unknown;");
  });
  it("reads the language from a class", () => {
    expect(languageFromClass("language-yaml")).toBe("yaml");
    expect(languageFromClass("x lang-py")).toBe("py");
    expect(languageFromClass(undefined)).toBeUndefined();
  });
});

describe("dropRepeatedTitle", () => {
  it("drops a first heading that repeats the page title", () => {
    expect(dropRepeatedTitle('\n<h1 id="files">Files  &amp; <em>folders</em></h1>\n<p>x</p>', "Files & folders")).toBe("<p>x</p>");
  });
  it("keeps other headings", () => {
    expect(dropRepeatedTitle("<h1>Other</h1><p>x</p>", "Files")).toBe("<h1>Other</h1><p>x</p>");
    expect(dropRepeatedTitle("<p>x</p><h1>Files</h1>", "Files")).toBe("<p>x</p><h1>Files</h1>");
  });
});
