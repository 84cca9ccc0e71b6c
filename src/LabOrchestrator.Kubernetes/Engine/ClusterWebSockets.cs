using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using k8s;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Opens WebSockets to the API server's streaming subresources (pods/exec, pods/portforward, KubeVirt's console and
/// vnc), and sends the PUTs of KubeVirt's aggregated subresources (pause, unpause), with the same credentials and trust
/// as the REST client: bearer token or token provider, client certificate, the cluster's CA. Offers several
/// subprotocols at once and reports the one the server chose.
/// </summary>
internal sealed class ClusterWebSockets(KubernetesClientConfiguration configuration)
{
    public async Task<WebSocket> ConnectAsync(string pathAndQuery, IReadOnlyList<string> subprotocols, CancellationToken cancellationToken)
    {
        var host = new Uri(configuration.Host.TrimEnd('/') + "/");
        var builder = new UriBuilder(new Uri(host, pathAndQuery.TrimStart('/'))) { Scheme = host.Scheme == "https" ? "wss" : "ws" };
        var socket = new ClientWebSocket();
        try
        {
            foreach (var protocol in subprotocols)
            {
                socket.Options.AddSubProtocol(protocol);
            }

            if (await AuthorizationAsync(cancellationToken).ConfigureAwait(false) is { } authorization)
            {
                socket.Options.SetRequestHeader("Authorization", authorization);
            }

            if (configuration.ClientCertificateData is not null || configuration.ClientCertificateFilePath is not null)
            {
                socket.Options.ClientCertificates.Add(ClientCertificate());
            }

            if (configuration.SkipTlsVerify)
            {
                socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            }
            else if (configuration.SslCaCerts is { Count: > 0 } authorities)
            {
                socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, authorities);
            }

            await socket.ConnectAsync(builder.Uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            socket.Dispose();
            throw new EngineException($"The cluster refused the stream {builder.Uri.AbsolutePath}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A PUT with an empty JSON body (KubeVirt's <c>pause</c> and <c>unpause</c> take optional options): the status and
    /// the server's body, for the caller to read a refusal from.
    /// </summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> PutAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var host = new Uri(configuration.Host.TrimEnd('/') + "/");
        using var handler = new SocketsHttpHandler();
        if (configuration.ClientCertificateData is not null || configuration.ClientCertificateFilePath is not null)
        {
            handler.SslOptions.ClientCertificates = [ClientCertificate()];
        }

        if (configuration.SkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (configuration.SslCaCerts is { Count: > 0 } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, authorities);
        }

        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(host, pathAndQuery.TrimStart('/')))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        if (await AuthorizationAsync(cancellationToken).ConfigureAwait(false) is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw new EngineException($"The Kubernetes API could not be reached at {request.RequestUri?.AbsolutePath}: {e.Message}", e);
        }
    }

    private async Task<string?> AuthorizationAsync(CancellationToken cancellationToken) =>
        configuration.TokenProvider is { } provider
            ? (await provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false)).ToString()
            : configuration.AccessToken is { Length: > 0 } token ? $"Bearer {token}" : null;

    private X509Certificate2 ClientCertificate()
    {
        var certificate = configuration.ClientCertificateData is { } data
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data))
            : File.ReadAllText(configuration.ClientCertificateFilePath!);
        var key = configuration.ClientCertificateKeyData is { } keyData
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(keyData))
            : File.ReadAllText(configuration.ClientKeyFilePath!);
        return X509Certificate2.CreateFromPem(certificate, key);
    }

    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
