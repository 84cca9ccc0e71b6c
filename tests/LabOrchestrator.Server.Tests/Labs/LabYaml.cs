namespace LabOrchestrator.Server.Tests.Labs;

/// <summary>Small lab files for tests that never start a session.</summary>
internal static class LabYaml
{
    public static string Valid(string name, string tag = "demo") => $"""
        name: {name}
        title: Demo {name}
        description: A lab for tests.
        tags: [{tag}]
        nodes:
          - name: box
            image: localhost/lab-base:latest
        """;

    public static string WithGuide(string name) => Valid(name) + "\nguide: guide/\n";

    /// <summary>The guide.yaml of a one-page guide whose page is index.md.</summary>
    public const string GuideManifest = "title: Demo\npages: [index.md]\n";

    /// <summary>A lab with a problem on line 5: a node without an image.</summary>
    public static string Invalid(string name) => $"""
        name: {name}
        title: Broken
        nodes:
          - name: box
            imag: localhost/lab-base:latest
        """;
}
