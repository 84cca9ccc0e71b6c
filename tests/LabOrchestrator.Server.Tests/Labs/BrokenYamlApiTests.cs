using System.Net;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Tests.Labs;

namespace LabOrchestrator.Server.Tests.Labs;

/// <summary>
/// Issue 15: every broken-YAML variant of the parser's table, sent to a real server as <c>PUT /api/labs/{name}</c> and
/// <c>POST /api/labs</c>, is refused as the client's fault (422 with diagnostics, never a 500) and the first diagnostic
/// carries the line the author must look at; nothing is stored.
/// </summary>
public sealed class BrokenYamlApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutAndPost_EveryBrokenYamlVariant_AnswerWithTheProblemsPosition()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        foreach (var row in BrokenYaml.Variants)
        {
            var data = ((ITheoryDataRow)row).GetData();
            var (what, yaml, line) = ((string)data[0]!, (string)data[1]!, (int)data[2]!);
            foreach (var response in new[]
            {
                await instructor.PutAsync("/api/labs/demo", LabsApi.Yaml(yaml), Ct),
                await instructor.PostAsync("/api/labs", LabsApi.Yaml(yaml), Ct),
            })
            {
                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{what}: {(int)response.StatusCode} {body}");
                var problem = await LabsApi.ProblemAsync(response, Ct);
                var first = problem.GetProperty("diagnostics")[0];
                Assert.True(first.GetProperty("line").GetInt32() == line && first.GetProperty("column").GetInt32() >= 1, $"{what}: {body}");
                Assert.EndsWith("lab.yaml", first.GetProperty("file").GetString(), StringComparison.Ordinal);
                Assert.DoesNotContain("current state of the object", body, StringComparison.Ordinal);
            }
        }

        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct, "?all=true"));
    }
}
