using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Labs;

/// <summary>
/// Issue 15: broken YAML of every common kind is refused with the line and column of the problem and a message that
/// says what is wrong and how to fix it; never a runtime's message ("Operation is not valid ...") or a silent fix-up.
/// </summary>
public sealed class LabParserBrokenYamlTests
{
    [Theory]
    [MemberData(nameof(BrokenYaml.Variants), MemberType = typeof(BrokenYaml))]
    public void Parse_BrokenYaml_IsRefusedWithPositionAndAPlainMessage(string what, string yaml, int line)
    {
        var result = LabParser.Parse(new LabSource(yaml, "lab.yaml", null), LabYaml.Permissive, TestContext.Current.CancellationToken);

        Assert.False(result.IsValid, what);
        Assert.NotEmpty(result.Diagnostics);
        var first = result.Diagnostics[0];
        Assert.True(first.Line == line && first.Column >= 1, $"{what}: expected line {line}, got {first}");
        Assert.All(result.Diagnostics, d =>
        {
            Assert.DoesNotContain("Operation is not valid", d.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("current state of the object", d.Message, StringComparison.Ordinal);
            Assert.StartsWith("lab.yaml:", d.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Parse_NullNodeItems_AreEachReportedAtTheirPosition() => LabYaml.AssertErrors(
        "name: demo\nnodes:\n  - ~\n  - name: web\n    image: busybox\n  -\n",
        "lab.yaml:3:5: error: nodes[0]: the list item is empty (remove the '-' line or write the item after it)",
        "lab.yaml:6:4: error: nodes[2]: the list item is empty (remove the '-' line or write the item after it)");

    [Fact]
    public void Parse_EmptyFlowItem_IsReportedNotDropped()
    {
        var result = LabYaml.Parse("name: demo\nnodes: [ , ~, {name: web, image: busybox}]\n");

        Assert.False(result.IsValid);
        Assert.All(result.Diagnostics, d => Assert.Equal(2, d.Line));
    }

    [Fact]
    public void Parse_UnclosedBracketAtEndOfFile_SaysWhichBracketAndWhere() => LabYaml.AssertErrors(
        "name: demo\nnodes: [",
        "lab.yaml:2:8: error: invalid YAML: the '[' list that starts here is not closed (add the missing ']' after its last item)");
}
