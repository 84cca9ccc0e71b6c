using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Tests.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Guides;

/// <summary>The guide of a running session: rendered pages, media, and step checks, on one real Podman session.</summary>
[Collection(PodmanSessions.Name)]
public sealed class SessionGuideTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Learner_ReadsGuide_GetsMedia_AndChecksAStep_WhileOthersAreKeptOut()
    {
        await using var lab = await HelloLinuxSession.StartAsync(Ct);
        var (instructor, learner, other, sessions, session) = (lab.Instructor, lab.Learner, lab.Other, lab.Sessions, lab.Session);
        var id = session.Id;

        // The guide, rendered for this session.
        var guide = await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/guide", Ct);
        Assert.Equal("Hello, Linux", guide.GetProperty("title").GetString());
        var pages = guide.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal(["welcome", "files", "permissions"], pages.Select(p => p.GetProperty("id").GetString()));
        Assert.All(pages, p => Assert.DoesNotContain("<script", p.GetProperty("html").GetString()!, StringComparison.OrdinalIgnoreCase));
        var welcome = pages[0].GetProperty("html").GetString()!;
        Assert.Contains("Welcome, LEA", welcome, StringComparison.Ordinal);
        Assert.Contains(id, welcome, StringComparison.Ordinal);
        Assert.Contains(session.Credentials[0].Password, welcome, StringComparison.Ordinal);
        var mediaUrl = $"/api/sessions/{id}/guide/media/terminal.svg";
        Assert.Contains($"src=\"{mediaUrl}\"", welcome, StringComparison.Ordinal);
        var makeFolder = pages[1].GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "make-folder");
        Assert.True(makeFolder.GetProperty("hasCheck").GetBoolean());
        Assert.NotEmpty(makeFolder.GetProperty("hints").EnumerateArray());

        // Media: served with a sandboxing policy; nothing outside the guide folder.
        using var svg = await learner.GetAsync(mediaUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(svg.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("sandbox", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Equal("nosniff", string.Join(",", svg.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(HttpStatusCode.NotFound, (await learner.GetAsync($"/api/sessions/{id}/guide/media/..%2Flab.yaml", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await learner.GetAsync($"/api/sessions/{id}/guide/media/%2E%2E/lab.yaml", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await learner.GetAsync($"/api/sessions/{id}/guide/media/guide.yaml", Ct)).StatusCode);

        // Checks: fail with feedback, pass once solved.
        var checkUrl = $"/api/sessions/{id}/guide/steps/make-folder/check";
        var failed = await (await learner.PostAsync(checkUrl, null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(failed.GetProperty("passed").GetBoolean());
        Assert.Contains("there is no folder /home/learner/projects yet", failed.GetProperty("feedback").EnumerateArray().Select(f => f.GetString()));
        await lab.SolveAsync("make-folder", Ct);
        var passed = await learner.PostAsync(checkUrl, null, Ct);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        var passedBody = await passed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(passedBody.GetProperty("passed").GetBoolean());
        Assert.Empty(passedBody.GetProperty("feedback").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await learner.PostAsync($"/api/sessions/{id}/guide/steps/no-such-step/check", null, Ct)).StatusCode);

        // Instructors read the guide but do not check for the learner; other learners get nothing.
        Assert.Equal(HttpStatusCode.OK, (await instructor.GetAsync($"/api/sessions/{id}/guide", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await instructor.PostAsync(checkUrl, null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/sessions/{id}/guide", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(mediaUrl, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync(checkUrl, null, Ct)).StatusCode);

        // A stopped session cannot be checked.
        await sessions.StopAsync(id, Ct);
        Assert.Equal(HttpStatusCode.Conflict, (await learner.PostAsync(checkUrl, null, Ct)).StatusCode);
    }
}
