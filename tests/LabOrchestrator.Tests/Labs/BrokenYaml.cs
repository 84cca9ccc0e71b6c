namespace LabOrchestrator.Tests.Labs;

/// <summary>
/// Broken lab YAML of every common kind (issue 15), with the line the author must look at; shared by the parser's
/// tests and the server's upload tests.
/// </summary>
public static class BrokenYaml
{
    private const string Head = "name: demo\nnodes:\n  - name: web\n    image: busybox\n";

    /// <summary>Broken variants with the line the author must look at.</summary>
    public static TheoryData<string, string, int> Variants => new()
    {
        { "unclosed [ at end of file", "name: demo\nnodes: [", 2 },
        { "unclosed [ then newline", "name: demo\nnodes: [\n", 2 },
        { "unclosed [ with item", "name: demo\nnodes: [{name: web, image: busybox}\n", 2 },
        { "unclosed [ in node", Head + "    command: [\"sh\", \"-c\"\n", 5 },
        { "unclosed {", "name: demo\nnodes:\n  - {name: web, image: busybox\n", 3 },
        { "unclosed { at end", "name: demo\nnodes: {", 2 },
        { "stray ]", "name: demo\nnodes: ]\n", 2 },
        { "stray }", "name: demo\nnodes: }\n", 2 },
        { "unclosed double quote", "name: \"demo\nnodes: []\n", 1 },
        { "unclosed single quote", "name: 'demo\nnodes: []\n", 1 },
        { "tab before a key", "name: demo\n\tnodes: []\n", 2 },
        { "tab before a list item", "name: demo\nnodes:\n\t- name: web\n", 3 },
        { "tab inside a node", Head + "\tkind: vm\n", 5 },
        { "tab after a value line", "name: demo\nnodes:\n  - name: web\n\t  image: busybox\n", 4 },
        { "empty first flow item", "name: demo\nnodes: [ , {name: web, image: busybox}]\n", 2 },
        { "null items in flow list", "name: demo\nnodes: [ ~, {name: web, image: busybox}]\n", 2 },
        { "null item in block list", "name: demo\nnodes:\n  -\n  - name: web\n    image: busybox\n", 3 },
        { "tilde item in block list", "name: demo\nnodes:\n  - ~\n  - name: web\n    image: busybox\n", 3 },
        { "null network item", Head + "    networks: [~]\n", 5 },
        { "empty string list item", Head + "    command: [sh, ~]\n", 5 },
        { "colon in value", "name: demo: x\nnodes: []\n", 1 },
        { "bad indentation", Head + "   kind: vm\n", 5 },
        { "second document", Head + "---\nname: x\n", 5 },
        { "unknown alias", Head + "    kind: *k\n", 5 },
        { "anchor only", "name: &\nnodes: []\n", 1 },
        { "directive in the middle", Head + "%YAML 1.1\n", 5 },
        { "only a [", "[", 1 },
        { "only a {", "{", 1 },
        { "only a quote", "\"", 1 },
        { "key without value in flow", "name: demo\nnodes: [{name: web, image}]\n", 2 },
        { "mapping key is a list", "[a]: b\nname: demo\n", 1 },
    };
}
