using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>Files that are not readable YAML, or not one YAML mapping, get one clear error at the right place.</summary>
public sealed class LabParserSyntaxTests
{
    [Fact]
    public void Parse_ValueContainingColonSpace_ReportsWhereTheMappingStarts() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox: latest
        """,
        "lab.yaml:4:19: error: invalid YAML: a value contains ': ' or ends with ':', which YAML reads as the start of a mapping (put the value in quotes, or move the nested fields onto their own indented lines)");

    [Fact]
    public void Parse_FieldIndentedLessThanItsSiblings_ReportsTheMisalignedLine() => AssertErrors("""
        name: demo
        nodes:
          - name: web
           image: busybox
        """,
        "lab.yaml:4:4: error: invalid YAML: this line is not indented like the list items around it (list items must start with '- ' in the same column)");

    [Fact]
    public void Parse_TopLevelFieldAfterListWithWrongIndent_ReportsTheLine() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
         guide: guide/
        """,
        "lab.yaml:5:2: error: invalid YAML: this line is not indented like the fields around it (fields of one mapping must start in the same column; list items start with '- ')");

    [Fact]
    public void Parse_UnclosedFlowList_AsksForTheClosingBracket() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            command: ["/bin/sh", "-c"
        """,
        "lab.yaml:5:14: error: invalid YAML: the '[' list that starts here is not closed (add the missing ']' after its last item)");

    [Fact]
    public void Parse_UnclosedQuote_AsksForTheClosingQuote() => AssertErrors("""
        name: demo
        title: "Two hosts
        nodes: []
        """,
        "lab.yaml:2:8: error: invalid YAML: a quoted value is not closed (add the missing closing quote)");

    [Fact]
    public void Parse_TabIndentation_PointsAtTheLineWithTheTab() => AssertErrors(
        "name: demo\nnodes:\n  - name: web\n    image: busybox\n\tkind: vm\n",
        "lab.yaml:5:1: error: invalid YAML: tabs cannot be used for indentation (indent with spaces)");

    [Fact]
    public void Parse_EmptyFile_SaysWhatALabNeeds() => AssertErrors(
        "",
        "lab.yaml:1:1: error: the lab file is empty (a lab needs at least 'name' and 'nodes'; see docs/lab-format.md)");

    [Fact]
    public void Parse_CommentsOnly_IsAnEmptyFile() => AssertErrors(
        "# nothing yet\n",
        "lab.yaml:1:1: error: the lab file is empty (a lab needs at least 'name' and 'nodes'; see docs/lab-format.md)");

    [Fact]
    public void Parse_RootIsAList_AsksForAMapping() => AssertErrors("""
        - name: web
          image: busybox
        """,
        "lab.yaml:1:1: error: expected a mapping of lab fields such as 'name' and 'nodes', found a list");

    [Fact]
    public void Parse_SecondYamlDocument_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        ---
        name: other
        """,
        "lab.yaml:5:1: error: a lab file holds one YAML document, but a second one starts here (remove the '---' line, or put each lab in a file of its own)");

    [Fact]
    public void Parse_DuplicateKey_PointsAtTheSecondAndNamesTheFirstLine() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            kind: container
            image: alpine
        """,
        "lab.yaml:6:5: error: nodes[0].image: duplicate key 'image' (first on line 4) (a field may appear only once in a mapping; remove or merge one of them)");

    [Fact]
    public void Parse_DuplicateTopLevelKey_IsReportedWithItsPath() => AssertErrors("""
        name: demo
        name: other
        nodes:
          - name: web
            image: busybox
        """,
        "lab.yaml:2:1: error: name: duplicate key 'name' (first on line 1) (a field may appear only once in a mapping; remove or merge one of them)");

    [Fact]
    public void Parse_UnknownAlias_IsReported() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: *base
        """,
        "lab.yaml:4:12: error: nodes[0].image: unknown alias '*base' (define the anchor with '&name' before using it)");

    [Fact]
    public void Parse_DeeplyNestedLists_AreRejectedWithoutExhaustingTheStack() => AssertErrors(
        "name: demo\ntags: " + new string('[', 100_000) + "\n",
        "lab.yaml:2:70: error: invalid YAML: lists and mappings are nested more than 64 levels deep");

    [Fact]
    public void Parse_AnchorsAndAliases_AreResolved()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: web
                image: &base localhost/lab-base:latest
              - name: db
                image: *base
            """);

        Assert.Equal("localhost/lab-base:latest", lab.Nodes[1].Image);
    }
}
