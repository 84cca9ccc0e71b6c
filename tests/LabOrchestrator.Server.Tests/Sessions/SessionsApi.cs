using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LabOrchestrator.Server.Tests.Labs;

namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>Calls of the sessions API shared by the sessions tests.</summary>
internal static class SessionsApi
{
    /// <summary>Uploads a lab from the repository's labs/ folder as an archive, as an instructor would, and publishes it.</summary>
    public static async Task PublishRepositoryLabAsync(HttpClient instructor, string name, CancellationToken cancellationToken)
    {
        var archive = LabArchives.TarGz(LabArchives.FromFolder(RepositoryRoot.Lab(name), $"{name}/"));
        var upload = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, $"{name}.tar.gz"), cancellationToken);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var publish = await instructor.PostAsync($"/api/labs/{name}/publish", null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
    }

    public static async Task<HttpResponseMessage> StartAsync(HttpClient client, string lab, CancellationToken cancellationToken) =>
        await client.PostAsJsonAsync("/api/sessions", new { lab }, cancellationToken);

    /// <summary>Every session event until the start or a reset is over (Running with every node running, Failed or Stopped); the stream itself stays open while the session lives.</summary>
    public static async Task<List<JsonElement>> FollowAsync(HttpClient client, string id, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            Assert.Equal("session", item.EventType);
            var session = JsonSerializer.Deserialize<JsonElement>(item.Data);
            events.Add(session);
            // The stream stays open while the session lives: follow it until the start (or a reset) has settled.
            var state = session.GetProperty("state").GetString();
            var settled = state is "Failed" or "Stopped"
                || (state == "Running" && session.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("state").GetString() is not ("Pending" or "Creating" or "Starting")));
            if (settled)
            {
                break;
            }
        }

        return events;
    }
}
