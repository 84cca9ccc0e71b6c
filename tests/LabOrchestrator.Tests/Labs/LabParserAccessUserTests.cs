using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>A node's <c>access.user</c>: whom its terminals log in as.</summary>
public sealed class LabParserAccessUserTests
{
    [Fact]
    public void Parse_AccessUser_IsKept_AndDefaultsToTheImagesUser()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: linux
                image: localhost/lab-base:latest
                access:
                  terminal: true
                  user: learner
              - name: other
                image: localhost/lab-base:latest
            """);

        Assert.Equal("learner", lab.Nodes[0].Access.User);
        Assert.Null(lab.Nodes[1].Access.User);
    }

    [Fact]
    public void Parse_AccessUserThatIsNoUserName_SaysWhatAUserNameIs() => AssertErrors("""
        name: demo
        nodes:
          - name: linux
            image: busybox
            access:
              user: "Root User"
        """,
        "lab.yaml:6:13: error: nodes[0].access.user: 'Root User' is not a user name (give a user of the image, e.g. 'learner' (lower-case letters, digits, '_' and '-', at most 32))");

    [Fact]
    public void Parse_AccessUserOnAVm_IsRefused() => AssertErrors("""
        name: demo
        nodes:
          - name: vm
            kind: vm
            image: localhost/vm-tiny:latest
            access:
              user: learner
        """,
        "lab.yaml:7:13: error: nodes[0].access.user: a vm node's terminal is its serial console, where the learner logs in (remove 'user'; the VM image decides who may log in)");
}
