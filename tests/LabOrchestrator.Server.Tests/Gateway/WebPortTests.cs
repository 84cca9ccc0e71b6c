using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>Web ports of nodes through the gateway, on a real Podman session whose node runs a CGI echo page and a WebSocket echo.</summary>
[Collection(PodmanSessions.Name)]
public sealed class WebPortTests
{
    // busybox httpd with a CGI page that prints what it received, and a WebSocket echo server in Perl (both in lab-base).
    internal const string LabYaml = """
        name: web-ports
        nodes:
          - name: web
            image: localhost/lab-base:latest
            command: ["/bin/sh", "-c"]
            args:
              - |
                mkdir -p /srv/cgi-bin
                echo '<h1>web node</h1>' > /srv/index.html
                cat > /srv/cgi-bin/echo <<'EOF'
                #!/bin/sh
                if [ "$QUERY_STRING" = "redirect" ]; then
                  printf 'HTTP/1.1 302 Found\r\nLocation: /cgi-bin/echo?from=redirect\r\n\r\n'
                  exit 0
                fi
                printf 'Content-Type: text/plain\r\nSet-Cookie: app=1; Path=/\r\n\r\n'
                echo "uri=$REQUEST_URI"
                echo "cookie=$HTTP_COOKIE"
                echo "prefix=$HTTP_X_FORWARDED_PREFIX"
                echo "authorization=$HTTP_AUTHORIZATION"
                echo "node=$LAB_NODE"
                EOF
                chmod +x /srv/cgi-bin/echo
                cat > /srv/ws.pl <<'EOF'
                use IO::Socket::INET; use Digest::SHA qw(sha1_base64);
                $SIG{CHLD} = 'IGNORE';
                my $s = IO::Socket::INET->new(LocalPort => 8001, Listen => 5, ReuseAddr => 1) or die "listen: $!";
                while (my $c = $s->accept) {
                  if (fork) { close $c; next }
                  my $key = '';
                  while (my $l = <$c>) { $l =~ s/\r?\n$//; last if $l eq ''; $key = $1 if $l =~ /^Sec-WebSocket-Key:\s*(\S+)/i }
                  my $accept = sha1_base64($key . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11') . '=';
                  print $c "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: $accept\r\n\r\n";
                  while (read($c, my $h, 2) == 2) {
                    my ($b1, $b2) = unpack('CC', $h); my $len = $b2 & 127;
                    read($c, my $mask, 4); read($c, my $data, $len);
                    $data ^= substr($mask x (int($len / 4) + 1), 0, $len);
                    last if ($b1 & 15) == 8;
                    my $out = "echo:$data";
                    print $c pack('CC', 0x81, length $out) . $out;
                  }
                  exit 0;
                }
                EOF
                perl /srv/ws.pl &
                exec busybox httpd -f -p 8000 -h /srv
            access:
              terminal: true
              http:
                - name: app
                  port: 8000
                - name: ws
                  port: 8001
          - name: plain
            image: localhost/lab-base:latest
        limits:
          duration: 30m
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebPort_ForwardsPagesAndWebSockets_OnItsOwnOrigin_ToAuthorisedUsersOnly()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, learnerToken) = await server.UserAsync("lea", Roles.Learner, Ct);
        var (other, _) = await server.UserAsync("bob", Roles.Learner, Ct);
        await server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(LabYaml, "web-ports.yaml", null), publishIfNew: true, Ct);
        var sessions = server.Services.GetRequiredService<ISessionService>();
        var session = await sessions.StartAsync("web-ports", new UserRef("lea", "LEA"), cancellationToken: Ct);
        Assert.Equal(SessionState.Running, session.State);
        var id = session.Id;
        var portsBase = new Uri($"http://127.0.0.1:{server.Services.GetRequiredService<Listeners>().WebPortsPort}");
        Assert.NotEqual(server.Address.Port, portsBase.Port);
        var path = $"/gateway/sessions/{id}/nodes/web/ports/8000/";

        // On the API's origin the gateway sends browsers to the web-ports origin.
        var redirect = await learner.GetAsync(path + "cgi-bin/echo", Ct);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal(new Uri(portsBase, path + "cgi-bin/echo"), redirect.Headers.Location);

        // The owner gets the node's page: the prefix is taken off and announced; the API token stays behind; cookies and redirects are put under the prefix.
        using var owner = Client(portsBase, learnerToken);
        Assert.Contains("<h1>web node</h1>", await owner.GetStringAsync(path, Ct), StringComparison.Ordinal);
        var page = await owner.GetAsync(path + "cgi-bin/echo?x=1", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var body = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("uri=/cgi-bin/echo?x=1\n", body, StringComparison.Ordinal);
        Assert.Contains($"prefix=/gateway/sessions/{id}/nodes/web/ports/8000\n", body, StringComparison.Ordinal);
        Assert.Contains("authorization=\n", body, StringComparison.Ordinal);
        Assert.Contains("node=web\n", body, StringComparison.Ordinal);
        Assert.Equal($"app=1; Path={path}", Assert.Single(page.Headers.GetValues("Set-Cookie")));
        var moved = await owner.GetAsync(path + "cgi-bin/echo?redirect", Ct);
        Assert.Equal(HttpStatusCode.Found, moved.StatusCode);
        Assert.Equal($"{path}cgi-bin/echo?from=redirect", moved.Headers.Location?.OriginalString);
        var withoutSlash = await owner.GetAsync(path.TrimEnd('/') + "?a=b", Ct);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, withoutSlash.StatusCode);
        Assert.Equal(path + "?a=b", withoutSlash.Headers.Location?.OriginalString);

        // WebSockets pass through.
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {learnerToken}");
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{portsBase.Port}/gateway/sessions/{id}/nodes/web/ports/8001/"), Ct);
            await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, Ct);
            var buffer = new byte[256];
            var received = await socket.ReceiveAsync(buffer, Ct);
            Assert.Equal("echo:hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        // An access token (as the workspace uses in iframes) is traded for a cookie scoped to the port, and leaves the URL.
        var access = await (await learner.PostAsJsonAsync($"/api/sessions/{id}/access", new { nodes = new[] { "web" }, kinds = new[] { "http" } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var tokenUrl = access.GetProperty("nodes").GetProperty("web").GetProperty("ports").GetProperty("app").GetString()!;
        Assert.StartsWith(new Uri(portsBase, path).ToString() + "?access_token=lat_", tokenUrl, StringComparison.Ordinal);
        using (var browser = Client(portsBase, bearer: null))
        {
            var exchanged = await browser.GetAsync(tokenUrl, Ct);
            Assert.Equal(HttpStatusCode.Redirect, exchanged.StatusCode);
            Assert.Equal(path, exchanged.Headers.Location?.OriginalString);
            Assert.Contains(exchanged.Headers.GetValues("Set-Cookie"), c => c.StartsWith("labo.port=lat_", StringComparison.Ordinal) && c.Contains($"path={path}", StringComparison.OrdinalIgnoreCase));
            var viaCookie = await browser.GetAsync(path + "cgi-bin/echo", Ct);
            Assert.Equal(HttpStatusCode.OK, viaCookie.StatusCode);
            Assert.DoesNotContain("labo.", await viaCookie.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            // The token opens only its session's web ports.
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/gateway/sessions/{id}/nodes/plain/ports/8000/", Ct)).StatusCode);
        }

        // Nobody else gets in; undeclared ports and other paths are not served; the web-ports origin serves no API.
        using (var stranger = Client(portsBase, bearer: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(path, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/auth/me", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/", Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await Client(portsBase, other.DefaultRequestHeaders.Authorization!.Parameter).GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/gateway/sessions/{id}/nodes/web/ports/9999/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/gateway/sessions/{id}/nodes/plain/ports/8000/", Ct)).StatusCode);

        // A stopped session's ports are closed.
        await learner.PostAsync($"/api/sessions/{id}/stop", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.GetAsync(path, Ct)).StatusCode);
    }

    private static HttpClient Client(Uri baseAddress, string? bearer)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }
}
