using System.Net;
using System.Text.Json;
using k8s.Autorest;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>Turns the API server's refusals into <see cref="EngineException"/>s that say what failed and, for the cluster's part, how to fix it.</summary>
internal static class KubernetesErrors
{
    public static async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw Translate(what, e);
        }
        catch (HttpRequestException e)
        {
            throw new EngineException($"The Kubernetes API could not be reached to {what}: {e.Message}", e)
            {
                HostFix = "check the cluster is up and Kubernetes:Kubeconfig points at it (labctl doctor checks it)",
            };
        }
    }

    public static async Task CallAsync(string what, Func<Task> call) =>
        await CallAsync(what, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    public static bool IsNotFound(HttpOperationException e) => e.Response.StatusCode == HttpStatusCode.NotFound;

    public static EngineException Translate(string what, HttpOperationException e)
    {
        var status = e.Response.StatusCode;
        var message = StatusMessage(e.Response.Content) ?? e.Message;
        var fix = status switch
        {
            HttpStatusCode.Forbidden => "grant the orchestrator's identity the rights in deploy/kubernetes's Role (labctl doctor lists what is denied)",
            HttpStatusCode.Unauthorized => "renew the orchestrator's credentials for the cluster (its kubeconfig or service account token)",
            HttpStatusCode.NotFound when what.Contains("VirtualMachine", StringComparison.Ordinal) => "install KubeVirt in the cluster (labctl doctor checks its CRDs)",
            _ => null,
        };
        return new EngineException($"Kubernetes refused to {what} ({(int)status} {status}): {message}", e) { HostFix = fix };
    }

    /// <summary>The message of a Kubernetes Status body, or the body itself (shortened) when it is not one.</summary>
    public static string Message(string? content) => StatusMessage(content) ?? "(no message)";

    private static string? StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return content.Length > 300 ? content[..300] : content;
        }
    }
}
