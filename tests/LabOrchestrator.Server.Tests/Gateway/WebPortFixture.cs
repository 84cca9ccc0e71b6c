using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>
/// One real server with a lab whose node runs a CGI page that prints what it received (and, on request, hostile
/// response headers) and a WebSocket echo; two running sessions (Lea's and Bob's) and an instructor who may see both.
/// Browsers are played by clients that connect to the web-ports listener on 127.0.0.1 whatever host name they ask
/// for (as browsers resolve <c>*.localhost</c>), keeping cookies by hand.
/// </summary>
public sealed class WebPortFixture : IAsyncLifetime
{
    // busybox httpd on 8000 with CGI pages (echo: what arrived; hostile: headers a node's app must not get to the
    // browser), and on 8001 a Perl server that answers with the request's head exactly as it arrived, or echoes
    // WebSocket messages (all in lab-base).
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
                  printf 'HTTP/1.1 302 Found\r\nLocation: http://%s/cgi-bin/echo?from=redirect\r\n\r\n' "$HTTP_HOST"
                  exit 0
                fi
                printf 'Content-Type: text/plain\r\nSet-Cookie: app=1; Domain=ports.localhost; Path=/\r\n\r\n'
                echo "method=$REQUEST_METHOD"
                echo "uri=$REQUEST_URI"
                echo "session=$LAB_SESSION_ID"
                env | grep '^HTTP_' | sort
                EOF
                cat > /srv/cgi-bin/hostile <<'EOF'
                #!/bin/sh
                printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nService-Worker-Allowed: /\r\nClear-Site-Data: "*"\r\n'
                printf 'Alt-Svc: h2=":443"\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains\r\nNEL: {"report_to":"x","max_age":1}\r\n'
                printf 'Report-To: {"group":"x"}\r\nReporting-Endpoints: x="http://evil.test/"\r\nX-Accel-Redirect: /internal/secret\r\nX-Sendfile: /etc/shadow\r\n'
                printf 'Public-Key-Pins: pin-sha256="x"; max-age=1\r\nExpect-CT: max-age=1\r\nConnection: close, X-Hop\r\nX-Hop: listed-in-connection\r\n'
                printf 'Set-Cookie: labo-port=forged; Path=/\r\nSet-Cookie: LABO.AUTH=forged; Path=/\r\nSet-Cookie: __Host-labo-port=forged; Secure; Path=/\r\n'
                printf 'Set-Cookie: .AspNetCore.Cookies=forged\r\nSet-Cookie: stolen=lat_abc; Path=/\r\nSet-Cookie: own=1; domain=.ports.localhost; Path=/\r\n'
                printf 'X-App: kept\r\n\r\nhostile\n'
                EOF
                chmod +x /srv/cgi-bin/echo /srv/cgi-bin/hostile
                cat > /srv/ws.pl <<'EOF'
                use IO::Socket::INET; use Digest::SHA qw(sha1_base64);
                $SIG{CHLD} = 'IGNORE';
                my $s = IO::Socket::INET->new(LocalPort => 8001, Listen => 5, ReuseAddr => 1) or die "listen: $!";
                while (my $c = $s->accept) {
                  if (fork) { close $c; next }
                  my ($key, @head) = ('');
                  while (my $l = <$c>) { $l =~ s/\r?\n$//; last if $l eq ''; push @head, $l; $key = $1 if $l =~ /^Sec-WebSocket-Key:\s*(\S+)/i }
                  if ($key eq '') {
                    my $body = join("\n", @head, "session=$ENV{LAB_SESSION_ID}", '');
                    print $c "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n$body";
                    exit 0;
                  }
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
                - name: raw
                  port: 8001
          - name: plain
            image: localhost/lab-base:latest
            access:
              http:
                - name: app
                  port: 8000
        limits:
          duration: 30m
        """;

    private ServerHost? server;

    internal ServerHost Server => server ?? throw new InvalidOperationException("Not started.");
    public HttpClient Lea { get; private set; } = null!;
    public string LeaSecret { get; private set; } = "";
    public HttpClient Bob { get; private set; } = null!;
    public HttpClient Ines { get; private set; } = null!;
    public Session SessionA { get; private set; } = null!;
    public Session SessionB { get; private set; } = null!;
    public int PortsPort => Server.Services.GetRequiredService<Listeners>().WebPortsPort;

    public async ValueTask InitializeAsync()
    {
        server = await ServerHost.StartAsync();
        (Lea, LeaSecret) = await Server.UserAsync("lea", Roles.Learner);
        (Bob, _) = await Server.UserAsync("bob", Roles.Learner);
        (Ines, _) = await Server.UserAsync("ines", Roles.Instructor);
        await Server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(LabYaml, "web-ports.yaml", null), publishIfNew: true);
        var sessions = Server.Services.GetRequiredService<ISessionService>();
        // One after the other: two first starts at once race to install the engine's isolation rules.
        SessionA = await sessions.StartAsync("web-ports", new UserRef("lea", "LEA"));
        SessionB = await sessions.StartAsync("web-ports", new UserRef("bob", "BOB"));
        Assert.All([SessionA, SessionB], s => Assert.Equal(SessionState.Running, s.State));
    }

    /// <summary>The origin of a node's web port, as the server's default (<c>ports.localhost</c>) names it.</summary>
    public Uri Origin(Session session, string node = "web", int port = 8000) =>
        new($"http://{WebPortOrigins.Label(session.Id, node, port)}.ports.localhost:{PortsPort}/");

    /// <summary>A browser stand-in: reaches any host name on the web-ports listener, no cookies, no redirects followed.</summary>
    public static HttpClient Browser() => new(LoopbackHandler());

    /// <summary>Connects to 127.0.0.1 at the URL's port whatever its host name, without cookies or redirects.</summary>
    public static SocketsHttpHandler LoopbackHandler() => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    /// <summary>A web port's URL with a fresh access token, as <c>POST /api/sessions/{id}/access</c> gives it to <paramref name="api"/>'s user.</summary>
    public async Task<Uri> TokenUrlAsync(HttpClient api, Session session, string node = "web", string port = "app", CancellationToken ct = default)
    {
        var response = await api.PostAsJsonAsync($"/api/sessions/{session.Id}/access", new { nodes = new[] { node }, kinds = new[] { "http" } }, ct);
        response.EnsureSuccessStatusCode();
        var access = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return new Uri(access.GetProperty("nodes").GetProperty(node).GetProperty("ports").GetProperty(port).GetString()!);
    }

    /// <summary>Opens a token URL as a browser does and returns the access cookie (<c>name=value</c>) it was exchanged for.</summary>
    public async Task<string> CookieAsync(HttpClient api, Session session, string node = "web", string port = "app", CancellationToken ct = default)
    {
        using var browser = Browser();
        var exchanged = await browser.GetAsync(await TokenUrlAsync(api, session, node, port, ct), ct);
        Assert.True(exchanged.StatusCode == HttpStatusCode.Redirect, await exchanged.Content.ReadAsStringAsync(ct));
        return exchanged.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    public static HttpRequestMessage Get(Uri uri, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Lea?.Dispose();
        Bob?.Dispose();
        Ines?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
