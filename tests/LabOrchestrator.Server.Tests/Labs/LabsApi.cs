using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Labs;

/// <summary>Calls of the labs API shared by the labs and sessions tests.</summary>
internal static class LabsApi
{
    public static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, string name, string yaml, CancellationToken cancellationToken) =>
        await client.PutAsync($"/api/labs/{name}", Yaml(yaml), cancellationToken);

    public static async Task<List<string>> NamesAsync(HttpClient client, CancellationToken cancellationToken, string query = "")
    {
        var labs = await client.GetFromJsonAsync<JsonElement>($"/api/labs{query}", cancellationToken);
        return labs.EnumerateArray().Select(l => l.GetProperty("name").GetString()!).ToList();
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>The server's folder of uploaded labs.</summary>
    public static string LabsFolder(ServerHost server) => server.Services.GetRequiredService<LabStore>().Root;
}
