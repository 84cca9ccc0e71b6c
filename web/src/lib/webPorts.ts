// Web ports open on origins of their own (one host name per session, node and port, under the server's ports host).
// The browser keeps a port's access cookie in a frame only when the frame's site is the workspace's site (SameSite);
// elsewhere (the workspace opened at an IP address, say) the port works in a tab of its own only.

/** A host's site as browsers see it, approximately: an IP address or single label stays whole, a name keeps its last two labels. */
export function siteOf(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (/^[\d.]+$/.test(h) || h.startsWith("[") || !h.includes(".")) return h;
  return h.split(".").slice(-2).join(".");
}

/** Whether a frame showing `portUrl` inside a page at `pageHost` keeps its SameSite cookie. */
export function canFrame(portUrl: string, pageHost: string): boolean {
  return siteOf(new URL(portUrl).hostname) === siteOf(pageHost);
}

/**
 * Where to open the workspace so that web ports can show in frames, when `pageHost` cannot: a name under
 * `localhost` for loopback addresses (browsers resolve `*.localhost` to loopback without DNS). Null when none is known.
 */
export function frameFriendlyUrl(location: { protocol: string; hostname: string; port: string; pathname: string }): string | null {
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(location.hostname)) return null;
  return `${location.protocol}//lab.localhost${location.port ? `:${location.port}` : ""}${location.pathname}`;
}
