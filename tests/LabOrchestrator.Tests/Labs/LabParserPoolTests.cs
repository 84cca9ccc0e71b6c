using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>The <c>pool</c> field: a warm pool's size, and labs that cannot be pooled.</summary>
public sealed class LabParserPoolTests
{
    [Fact]
    public void Parse_PoolSize_IsRead()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: web
                image: busybox
            pool:
              size: 3
            """);

        Assert.Equal(3, lab.Pool!.Size);
    }

    [Fact]
    public void Parse_NoPool_LeavesItNull() =>
        Assert.Null(AssertValid("name: demo\nnodes:\n  - name: web\n    image: busybox\n").Pool);

    [Theory]
    [InlineData("two", "'two'")]
    [InlineData("-1", "'-1'")]
    [InlineData("101", "'101'")]
    [InlineData("\"2\"", "'2'")]
    public void Parse_PoolSizeNotAWholeNumberUpTo100_IsReportedAtTheValue(string size, string shown) => AssertErrors($"""
        name: demo
        nodes:
          - name: web
            image: busybox
        pool:
          size: {size}
        """,
        $"lab.yaml:6:9: error: pool.size: expected a whole number from 0 to 100, found {shown} (the number of sessions to keep started in advance, e.g. 2; 0 keeps none)");

    [Fact]
    public void Parse_PoolWithoutSizeOrWithUnknownField_IsReported() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        pool:
          sise: 2
        """,
        "lab.yaml:6:3: error: pool.sise: unknown field 'sise' (did you mean 'size'?)",
        "lab.yaml:6:3: error: pool: missing required field 'size' (write it as 'pool: {size: 2}')");

    [Fact]
    public void Parse_PoolOnALabWithAGeneratedPasswordOnAVmNode_SaysWhyItCannotBePooled() => AssertErrors("""
        name: demo
        nodes:
          - name: vm
            kind: vm
            image: localhost/vm-tiny:latest
            credentials:
              - name: root
                username: root
                password: generate
        pool:
          size: 1
        """,
        "lab.yaml:10:1: error: pool: this lab cannot keep a warm pool: node 'vm' is a VM with a generated password, which cannot be changed inside its guest when a learner claims a pooled session (remove 'pool', or give the VM node's credentials a literal password)");

    [Fact]
    public void Parse_PoolOnALabWithAVmNodeWithoutGeneratedPasswords_IsValid() =>
        Assert.Equal(1, AssertValid("""
            name: demo
            nodes:
              - name: vm
                kind: vm
                image: localhost/vm-tiny:latest
                credentials:
                  - name: root
                    username: root
                    password: root
            pool:
              size: 1
            """).Pool!.Size);
}
