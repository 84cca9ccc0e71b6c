using LabOrchestrator.Labs;
using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Persist;

/// <summary>A node's <c>storage</c>: folders kept per learner and lab.</summary>
public sealed class StorageParserTests
{
    [Fact]
    public void Parse_StorageFolders_AreKeptInOrder()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: desk
                image: localhost/lab-base:latest
                storage:
                  - path: /home/learner/work
                  - path: /srv/data
            """);

        Assert.Equal([new StorageDefinition("/home/learner/work"), new StorageDefinition("/srv/data")], lab.Nodes[0].Storage);
    }

    [Fact]
    public void Parse_BadFolders_AreEachReportedWhereTheyAre() => AssertErrors("""
        name: demo
        nodes:
          - name: desk
            image: localhost/lab-base:latest
            storage:
              - path: work
              - path: /home/learner/../etc
              - path: /etc
              - path: /proc/self
              - path: /home/learner/work
              - path: /home/learner/work/sub
              - folder: /x
        """,
        "lab.yaml:6:15: error: nodes[0].storage[0].path: 'work' is not an absolute folder path (use an absolute folder such as /home/learner/work: letters, digits and . _ - @ + ~ between slashes, no trailing slash)",
        "lab.yaml:7:15: error: nodes[0].storage[1].path: '/home/learner/../etc' is not an absolute folder path (use an absolute folder such as /home/learner/work: letters, digits and . _ - @ + ~ between slashes, no trailing slash)",
        "lab.yaml:8:15: error: nodes[0].storage[2].path: '/etc' is a system folder, which a kept volume would hide or break (keep a folder of the learner's own, such as /home/learner/work or /srv/data)",
        "lab.yaml:9:15: error: nodes[0].storage[3].path: '/proc/self' is a system folder, which a kept volume would hide or break (keep a folder of the learner's own, such as /home/learner/work or /srv/data)",
        "lab.yaml:11:15: error: nodes[0].storage[5].path: '/home/learner/work/sub' overlaps '/home/learner/work' (list each folder once, and no folder inside another; keep the parent folder only)",
        "lab.yaml:12:9: error: nodes[0].storage[6].folder: unknown field 'folder' (allowed fields: path)",
        "lab.yaml:12:9: error: nodes[0].storage[6]: missing required field 'path' (name the folder in the node to keep, e.g. path: /home/learner/work)");

    [Fact]
    public void Parse_StorageOnAVm_IsRefused()
    {
        var result = Parse("""
            name: demo
            nodes:
              - name: vm
                kind: vm
                image: localhost/vm-tiny:latest
                storage:
                  - path: /data
            """);

        Assert.Null(result.Lab);
        var error = Assert.Single(result.Diagnostics).ToString();
        Assert.StartsWith("lab.yaml:6:5: error: nodes[0].storage: a vm node cannot have 'storage'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StorageAsAString_AsksForAList()
    {
        var result = Parse("""
            name: demo
            nodes:
              - name: desk
                image: localhost/lab-base:latest
                storage: /home/learner/work
            """);

        Assert.Null(result.Lab);
        Assert.Contains("list each folder as '- path: /home/learner/work'", Assert.Single(result.Diagnostics).ToString(), StringComparison.Ordinal);
    }
}
