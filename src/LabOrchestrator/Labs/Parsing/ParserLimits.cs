namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Fixed bounds on what the lab and guide parsers read. Lab files and guides come from instructors over the REST API;
/// these keep one hostile file from exhausting the stack, the memory or the CPU of the server. docs/lab-format.md and
/// docs/guide-format.md list them.
/// </summary>
internal static class ParserLimits
{
    public const int MaxLabFileBytes = 256 * 1024;
    public const int MaxYamlDepth = 64;
    public const int MaxYamlValues = 20_000;
    public const int MaxYamlAliases = 100;
    public const int MaxScalarLength = 64 * 1024;
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 10_000;
    public const int MaxListItems = 256;
    public const int MaxNetworks = 32;
    public const int MaxEnvPerNode = 256;
    public const int MaxDiagnostics = 100;

    public const int MaxGuideManifestBytes = 64 * 1024;
    public const int MaxGuidePageBytes = 256 * 1024;
    public const int MaxGuidePages = 100;
    public const int MaxGuideSteps = 500;
    public const int MaxStepBodyBytes = 64 * 1024;
    public const int MaxMarkdownNesting = 16;
    public const int MaxMarkdownBrackets = 32;
    public const int MaxEmphasisRun = 32;
    public const int MaxEmphasisPerParagraph = 1_000;
    public const int MaxLeadingColumns = 96;

    /// <summary>Wall-clock budget for reading one lab with its guide.</summary>
    public static readonly TimeSpan ParseBudget = TimeSpan.FromSeconds(5);
}
