using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>Unknown, missing and wrongly typed fields.</summary>
public sealed class LabParserFieldTests
{
    [Fact]
    public void Parse_UnknownNodeField_SuggestsClosestName() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            imgae: busybox
        """,
        "lab.yaml:3:5: error: nodes[0]: missing required field 'image' (name the image the node runs, e.g. localhost/lab-base:latest)",
        "lab.yaml:4:5: error: nodes[0].imgae: unknown field 'imgae' (did you mean 'image'?)");

    [Fact]
    public void Parse_UnknownTopLevelField_SuggestsClosestName() => AssertErrors("""
        name: demo
        titel: Demo
        nodes:
          - name: web
            image: busybox
        """,
        "lab.yaml:2:1: error: titel: unknown field 'titel' (did you mean 'title'?)");

    [Fact]
    public void Parse_UnknownFieldInCamelCase_SuggestsIgnoringCase() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        limits:
          idletimeout: 20m
        """,
        "lab.yaml:6:3: error: limits.idletimeout: unknown field 'idletimeout' (did you mean 'idleTimeout'?)");

    [Fact]
    public void Parse_UnknownFieldFarFromAnyKnown_ListsAllowedFields() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            ports: [80]
        """,
        "lab.yaml:5:5: error: nodes[0].ports: unknown field 'ports' (allowed fields: name, image, kind, access, command, args, env, resources, capabilities, allowUserNamespaces, credentials, networks, storage)");

    [Fact]
    public void Parse_MissingLabName_IsReportedAtTheDocument() => AssertErrors("""
        title: Demo
        nodes:
          - name: web
            image: busybox
        """,
        "lab.yaml:1:1: error: missing required field 'name' (give the lab a name such as 'two-hosts')");

    [Fact]
    public void Parse_MissingNodes_SaysWhatToList() => AssertErrors("""
        name: demo
        """,
        "lab.yaml:1:1: error: missing required field 'nodes' (list the machines of the lab, each as '- name: ...' with 'image: ...' below it)");

    [Fact]
    public void Parse_EmptyNodesList_NeedsAtLeastOneNode() => AssertErrors("""
        name: demo
        nodes: []
        """,
        "lab.yaml:2:8: error: nodes: a lab needs at least one node (list the machines of the lab, each as '- name: ...' with 'image: ...' below it)");

    [Fact]
    public void Parse_NodesWrittenAsMapping_ReportsWrongType() => AssertErrors("""
        name: demo
        nodes:
          name: web
          image: busybox
        """,
        "lab.yaml:3:3: error: nodes: expected a list, found a mapping (list the machines of the lab, each as '- name: ...' with 'image: ...' below it)");

    [Fact]
    public void Parse_EmptyImage_MustNotBeEmpty() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image:
        """,
        "lab.yaml:4:5: error: nodes[0].image: must not be empty (name the image the node runs, e.g. localhost/lab-base:latest)");

    [Fact]
    public void Parse_ImageGivenAsList_ReportsWrongType() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: [busybox]
        """,
        "lab.yaml:4:12: error: nodes[0].image: expected a string, found a list");

    [Fact]
    public void Parse_AccessGivenAsList_ReportsWrongType() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access: [terminal]
        """,
        "lab.yaml:5:13: error: nodes[0].access: expected a mapping, found a list");

    [Fact]
    public void Parse_TerminalMaybe_AsksForTrueOrFalse() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              terminal: maybe
        """,
        "lab.yaml:6:17: error: nodes[0].access.terminal: expected true or false, found 'maybe' (use true or false)");

    [Fact]
    public void Parse_QuotedBoolean_AsksToDropTheQuotes() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              desktop: "true"
        """,
        "lab.yaml:6:16: error: nodes[0].access.desktop: expected true or false, found 'true' (write it without quotes)");

    [Fact]
    public void Parse_NonIntegerPort_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - name: web
                  port: eighty
        """,
        "lab.yaml:8:17: error: nodes[0].access.http[0].port: expected a port number from 1 to 65535, found 'eighty'");

    [Fact]
    public void Parse_PortOutOfRange_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - name: web
                  port: 70000
        """,
        "lab.yaml:8:17: error: nodes[0].access.http[0].port: expected a port number from 1 to 65535, found '70000'");

    [Fact]
    public void Parse_QuotedPort_AsksToDropTheQuotes() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - { name: web, port: "80" }
        """,
        "lab.yaml:7:30: error: nodes[0].access.http[0].port: expected a port number from 1 to 65535, found '80' (write the number without quotes)");

    [Fact]
    public void Parse_HttpPortWithoutPort_IsMissingARequiredField() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - name: web
        """,
        "lab.yaml:7:11: error: nodes[0].access.http[0]: missing required field 'port' (give the port the node's web server listens on, 1 to 65535)");

    [Fact]
    public void Parse_CommandAsString_HintsToUseAList() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            command: /bin/sh -c "sleep 1d"
        """,
        "lab.yaml:5:14: error: nodes[0].command: expected a list of strings, found '/bin/sh -c \"sleep 1d\"' (write a list with one item per entry, e.g. command: [\"/bin/sh\", \"-c\"])");

    [Fact]
    public void Parse_TagsAsString_HintsToUseAList() => AssertErrors("""
        name: demo
        tags: linux
        nodes:
          - name: web
            image: busybox
        """,
        "lab.yaml:2:7: error: tags: expected a list of strings, found 'linux' (write a list with one item per entry, e.g. tags: [linux, beginner])");

    [Fact]
    public void Parse_UnknownKind_ListsTheKinds() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            kind: docker
        """,
        "lab.yaml:5:11: error: nodes[0].kind: 'docker' is not a valid kind (use 'container' or 'vm')");

    [Fact]
    public void Parse_VmWithCommandAndArgs_ExplainsWhy() => AssertErrors("""
        name: demo
        nodes:
          - name: desktop
            image: localhost/lab-vm:latest
            kind: vm
            command: ["/sbin/init"]
            args: ["--debug"]
        """,
        "lab.yaml:6:5: error: nodes[0].command: a vm node cannot have 'command' (a virtual machine boots its own operating system; remove 'command', or use kind: container)",
        "lab.yaml:7:5: error: nodes[0].args: a vm node cannot have 'args' (a virtual machine boots its own operating system; remove 'args', or use kind: container)");

    [Fact]
    public void Parse_ReservedEnvName_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            env:
              LAB_NODE: other
        """,
        "lab.yaml:6:7: error: nodes[0].env.LAB_NODE: 'LAB_NODE' is reserved: names starting with LAB_ are set by the orchestrator (choose a name without the LAB_ prefix)");

    [Fact]
    public void Parse_EnvNameWithDash_SuggestsUnderscore() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            env:
              MY-VAR: 1
        """,
        "lab.yaml:6:7: error: nodes[0].env.MY-VAR: 'MY-VAR' is not a valid environment variable name (use letters, digits and '_', not starting with a digit, e.g. 'MY_VAR')");

    [Fact]
    public void Parse_EnvValueAsList_ReportsWrongType() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            env:
              PATHS: [a, b]
        """,
        "lab.yaml:6:14: error: nodes[0].env.PATHS: expected a string, found a list");

    [Fact]
    public void Parse_InvalidUserName_SaysWhatIsAllowed() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            credentials:
              - name: learner
                username: Learner
                password: secret
        """,
        "lab.yaml:7:19: error: nodes[0].credentials[0].username: 'Learner' is not a valid Linux user name (use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters)");

    [Fact]
    public void Parse_CredentialWithoutPassword_MentionsGenerate() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            credentials:
              - name: learner
                username: learner
        """,
        "lab.yaml:6:9: error: nodes[0].credentials[0]: missing required field 'password' (give a password, or 'generate' for a random one in every session)");

    [Fact]
    public void Parse_NetworkWrittenAsBareName_ShowsTheMappingForm() => AssertErrors("""
        name: demo
        networks:
          - lan
        nodes:
          - name: web
            image: busybox
            networks: [lan]
        """,
        "lab.yaml:3:5: error: networks[0]: expected a mapping, found 'lan' (write it as '- name: lan')",
        "lab.yaml:7:16: error: nodes[0].networks[0]: network 'lan' is not declared (declare it in the top-level 'networks' list: networks: [{ name: lan }])");
}
