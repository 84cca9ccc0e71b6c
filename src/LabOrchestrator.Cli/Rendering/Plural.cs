namespace LabOrchestrator.Cli.Rendering;

internal static class Plural
{
    public static string Of(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
