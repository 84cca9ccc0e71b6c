// A stand-in for the Lab Orchestrator server, for trying the web app and taking screenshots
// without containers. Serves web/dist with an index.html fallback, fakes the REST API described in
// docs/rest-api-*.md and a terminal gateway whose "shell" echoes lines back.
//   node scripts/mock-server.mjs [port]     (default 8080; user "lea", password "password1")
import { createServer } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const csrf = randomBytes(12).toString("hex");
const users = { lea: { id: "lea", displayName: "Lea Learner", role: "learner", disabled: false, createdAt: "2026-11-01T09:00:00Z", password: "password1" } };
const labs = [
  { name: "hello-linux", title: "Hello, Linux", description: "Your first steps on a Linux shell: files, directories, permissions and processes, on a machine of your own.", tags: ["linux", "beginner"], published: true, nodes: [{ name: "linux", access: { terminal: true, desktop: false, http: [] } }], limits: { durationSeconds: 3600 } },
  { name: "two-hosts", title: "Two hosts", description: "A client and a web server on one network. Find the server, fetch a page and change what it serves.", tags: ["networking", "http", "beginner"], published: true, nodes: [{ name: "server", access: { terminal: true, desktop: false, http: [{ name: "web", port: 80 }] } }, { name: "client", access: { terminal: true, desktop: false, http: [] } }], limits: { durationSeconds: 5400 } },
  { name: "network-basics", title: "Network basics", description: "Three machines on two networks with a router between them. Configure addresses and routes until everyone can talk.", tags: ["networking", "routing"], published: true, nodes: [{ name: "a" }, { name: "router" }, { name: "b" }].map((n) => ({ ...n, access: { terminal: true, desktop: false, http: [] } })), limits: { durationSeconds: 2700 } },
];
const sessions = new Map();
let nextId = 1;

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
};
const problem = (res, status, title, detail, extra = {}) => json(res, status, { title, status, detail, ...extra });
const authed = (req) => /labo\.auth=lea/.test(req.headers.cookie ?? "");
const readBody = (req) => new Promise((ok) => { let b = ""; req.on("data", (c) => (b += c)); req.on("end", () => { try { ok(b ? JSON.parse(b) : {}); } catch { ok(null); } }); });
const publicUser = ({ password: _p, ...u }) => u;
const view = (s, withCreds = true) => {
  const out = { ...s, nodes: s.nodes.map((n) => ({ ...n })) };
  if (s.state === "Running") out.timeLeftSeconds = Math.max(0, Math.floor((Date.parse(s.expiresAt) - Date.now()) / 1000));
  if (!withCreds) delete out.credentials;
  return out;
};

function startSession(lab) {
  const id = `s${String(nextId++).padStart(3, "0")}${randomBytes(3).toString("hex")}`;
  const s = { id, lab: lab.name, userId: "lea", engine: "mock", state: "Pending", createdAt: new Date().toISOString(), nodes: lab.nodes.map((n) => ({ name: n.name, state: "Pending" })), credentials: lab.nodes.map((n) => ({ node: n.name, name: "learner", username: "learner", password: randomBytes(6).toString("base64url") })), listeners: new Set(), seq: 0 };
  sessions.set(id, s);
  const steps = [];
  steps.push(() => (s.state = "Starting"));
  for (const n of s.nodes) steps.push(() => (n.state = "Creating"), () => (n.state = "Starting"), () => (n.state = "Running"));
  steps.push(() => { s.state = "Running"; s.startedAt = new Date().toISOString(); s.expiresAt = new Date(Date.now() + lab.limits.durationSeconds * 1000).toISOString(); });
  let i = 0;
  const tick = () => { if (s.state === "Stopped") return; steps[i++](); publish(s); if (i < steps.length) setTimeout(tick, 350); };
  setTimeout(tick, 300);
  return s;
}
function publish(s) {
  s.seq++;
  for (const res of s.listeners) {
    res.write(`event: session\ndata: ${JSON.stringify(view(s))}\nid: ${s.seq}\n\n`);
    if (["Running", "Failed", "Stopped"].includes(s.state)) { res.end(); s.listeners.delete(res); }
  }
}

async function api(req, res, url) {
  const path = url.pathname;
  const unsafe = ["POST", "PUT", "PATCH", "DELETE"].includes(req.method);
  if (path === "/api/auth/login" && req.method === "POST") {
    const body = await readBody(req);
    const u = users[body?.userId];
    if (!u || u.password !== body.password) return problem(res, 401, "Login failed", "The user id or password is wrong.");
    return json(res, 200, { user: publicUser(u), csrfToken: csrf, csrfHeader: "X-CSRF-Token" }, { "Set-Cookie": "labo.auth=lea; Path=/; HttpOnly; SameSite=Strict" });
  }
  if (!authed(req)) return problem(res, 401, "Unauthorized", undefined);
  if (unsafe && req.headers["x-csrf-token"] !== csrf) return problem(res, 400, "Invalid request", "The X-CSRF-Token header is missing or wrong.");
  if (path === "/api/auth/logout") return json(res, 204, undefined, { "Set-Cookie": "labo.auth=; Path=/; Max-Age=0" });
  if (path === "/api/auth/me") return json(res, 200, publicUser(users.lea));
  if (path === "/api/auth/csrf") return json(res, 200, { csrfToken: csrf, csrfHeader: "X-CSRF-Token" });
  if (path === "/api/labs") return json(res, 200, labs.map(({ nodes: _n, limits: _l, ...l }) => l));
  let m = /^\/api\/labs\/([^/]+)$/.exec(path);
  if (m) { const lab = labs.find((l) => l.name === decodeURIComponent(m[1])); return lab ? json(res, 200, { ...lab, hasGuide: false }) : problem(res, 404, "Not found", `There is no lab '${m[1]}'.`); }
  if (path === "/api/sessions" && req.method === "POST") {
    const body = await readBody(req);
    const lab = labs.find((l) => l.name === body?.lab);
    if (!lab) return problem(res, 404, "Not found", `There is no lab '${body?.lab}'.`);
    const active = [...sessions.values()].filter((s) => !["Stopped", "Failed"].includes(s.state)).length;
    if (active >= 2) return problem(res, 429, "Session limit reached", "You already have 2 of 2 concurrent sessions allowed (Quotas:PerUser). Stop a session and start again.", { limit: "perUser", current: 2, max: 2 });
    const s = startSession(lab);
    return json(res, 202, view(s), { Location: `/api/sessions/${s.id}` });
  }
  if (path === "/api/sessions") return json(res, 200, [...sessions.values()].map((s) => view(s, false)));
  m = /^\/api\/sessions\/([^/]+)(\/events|\/stop)?$/.exec(path);
  if (m) {
    const s = sessions.get(m[1]);
    if (!s) return problem(res, 404, "Not found", `There is no session '${m[1]}'.`);
    if (m[2] === "/stop" || req.method === "DELETE") {
      s.state = "Stopped"; delete s.expiresAt; s.nodes.forEach((n) => (n.state = "Stopped"));
      for (const ws of s.sockets ?? []) ws.close(4000, "session stopped");
      publish(s);
      return json(res, 200, view(s));
    }
    if (m[2] === "/events") {
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      res.write(`event: session\ndata: ${JSON.stringify(view(s))}\nid: ${s.seq}\n\n`);
      if (["Running", "Failed", "Stopped"].includes(s.state)) return res.end();
      s.listeners.add(res);
      req.on("close", () => s.listeners.delete(res));
      return;
    }
    return json(res, 200, view(s));
  }
  return problem(res, 404, "Not found", "No such endpoint.");
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2" };
async function files(res, url) {
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(dist, rel);
  if (!file.startsWith(dist) || !(await stat(file).then((s) => s.isFile(), () => false))) file = join(dist, "index.html");
  try {
    const body = await readFile(file);
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(500, { "Content-Type": "text/plain" });
    res.end("Build the app first: npm run build");
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname.startsWith("/api/")) return void api(req, res, url);
  if (url.pathname === "/__mock/drop-terminals") {
    // Test hook: cut every terminal connection without a close frame (as a network drop would).
    for (const s of sessions.values()) for (const ws of s.sockets ?? []) ws.drop();
    res.writeHead(204);
    return void res.end();
  }
  return void files(res, url);
});

// Minimal WebSocket server for /gateway/…/terminal: enough for a fake shell.
server.on("upgrade", (req, socket) => {
  const m = /^\/gateway\/sessions\/([^/]+)\/nodes\/([^/]+)\/terminal/.exec(req.url ?? "");
  const s = m && sessions.get(m[1]);
  if (!m || !s || !authed(req) || s.state !== "Running") { socket.end("HTTP/1.1 409 Conflict\r\nConnection: close\r\n\r\n"); return; }
  const accept = createHash("sha1").update(req.headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const node = decodeURIComponent(m[2]);
  const frame = (op, payload) => {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | op, len]) : Buffer.from([0x80 | op, 126, len >> 8, len & 255]);
    socket.write(Buffer.concat([head, payload]));
  };
  const ws = { drop: () => socket.destroy(), close: (code, reason = "") => { const b = Buffer.alloc(2); b.writeUInt16BE(code); frame(8, Buffer.concat([b, Buffer.from(reason)])); socket.end(); } };
  (s.sockets ??= new Set()).add(ws);
  const prompt = `\x1b[1;32mlearner@${node}\x1b[0m:\x1b[1;34m~\x1b[0m$ `;
  const out = (t) => frame(2, Buffer.from(t));
  out(`Welcome to ${node} (Lab Orchestrator mock shell).\r\n${prompt}`);
  let line = "";
  let buf = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2) {
      const op = buf[0] & 15;
      let len = buf[1] & 127, off = 2;
      if (len === 126) { len = buf.readUInt16BE(2); off = 4; } else if (len === 127) { len = Number(buf.readBigUInt64BE(2)); off = 10; }
      if (buf.length < off + 4 + len) return;
      const mask = buf.subarray(off, off + 4);
      const data = Buffer.from(buf.subarray(off + 4, off + 4 + len)).map((b, i) => b ^ mask[i % 4]);
      buf = buf.subarray(off + 4 + len);
      if (op === 8) { s.sockets.delete(ws); socket.end(); return; }
      if (op !== 2) continue;
      for (const ch of data.toString()) {
        if (ch === "\r") {
          const cmd = line.trim();
          line = "";
          let reply = "";
          if (cmd.startsWith("echo ")) reply = cmd.slice(5) + "\r\n";
          else if (cmd === "hostname") reply = node + "\r\n";
          else if (cmd === "exit") { out("logout\r\n"); frame(1, Buffer.from('{"type":"exit"}')); ws.close(1000); return; }
          else if (cmd) reply = `${cmd.split(" ")[0]}: command not found\r\n`;
          out(`\r\n${reply}${prompt}`);
        } else if (ch === "\x7f") { if (line) { line = line.slice(0, -1); out("\b \b"); } }
        else { line += ch; out(ch); }
      }
    }
  });
  socket.on("close", () => s.sockets.delete(ws));
  socket.on("error", () => s.sockets.delete(ws));
});

server.listen(port, "127.0.0.1", () => console.log(`Mock Lab Orchestrator on http://127.0.0.1:${port} (user lea / password1)`));
