using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using k8s;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Opens WebSockets to the API server's streaming subresources (pods/exec, pods/portforward, KubeVirt's console and
/// vnc) with the same credentials and trust as the REST client: bearer token or token provider, client certificate,
/// the cluster's CA. Offers several subprotocols at once and reports the one the server chose.
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

            var authorization = configuration.TokenProvider is { } provider
                ? (await provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false)).ToString()
                : configuration.AccessToken is { Length: > 0 } token ? $"Bearer {token}" : null;
            if (authorization is not null)
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
