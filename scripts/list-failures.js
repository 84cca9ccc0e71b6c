// Prints the name and the first lines of the message of every failed test in the result files that
// test.sh collects (xUnit .trx, vitest and Playwright JSON), so the end of a CI log says what failed.
// Usage: node scripts/list-failures.js RESULTS_DIRECTORY
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
const lines = [];
const first = (text, n = 6) => (text ?? "").split("\n").slice(0, n).map(l => "      " + l.trimEnd()).join("\n");
const unescapeXml = s => s.replace(/&#x([0-9a-fA-F]+);/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const full = path.join(dir, file);
  if (file.endsWith(".trx")) {
    const xml = fs.readFileSync(full, "utf8");
    for (const m of xml.matchAll(/<UnitTestResult [^>]*testName="([^"]*)"[^>]*outcome="Failed"[^>]*>([\s\S]*?)<\/UnitTestResult>/g)) {
      const message = /<Message>([\s\S]*?)<\/Message>/.exec(m[2]);
      lines.push(`  ${unescapeXml(m[1])}\n${first(message ? unescapeXml(message[1]) : "")}`);
    }
  } else if (file === "web.json") {
    const report = JSON.parse(fs.readFileSync(full, "utf8"));
    for (const suite of report.testResults ?? [])
      for (const t of suite.assertionResults ?? [])
        if (t.status === "failed") lines.push(`  web: ${t.fullName}\n${first((t.failureMessages ?? []).join("\n"))}`);
  } else if (file === "e2e.json") {
    const report = JSON.parse(fs.readFileSync(full, "utf8"));
    const walk = suite => {
      for (const spec of suite.specs ?? [])
        for (const t of spec.tests ?? [])
          if (t.status === "unexpected") {
            const error = (t.results ?? []).map(r => r.error?.message).find(Boolean);
            lines.push(`  e2e: ${spec.file}:${spec.line} ${spec.title}\n${first(error)}`);
          }
      (suite.suites ?? []).forEach(walk);
    };
    (report.suites ?? []).forEach(walk);
    for (const e of report.errors ?? []) lines.push(`  e2e: ${first(e.message, 3).trim()}`);
  }
}
if (lines.length > 0) console.log(`Failed tests (${lines.length}):\n${lines.join("\n")}`);
