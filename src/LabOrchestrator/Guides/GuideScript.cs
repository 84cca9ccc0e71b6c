namespace LabOrchestrator.Guides;

/// <summary>A shell script run with <c>sh -c</c> in one node of the session.</summary>
public sealed record GuideScript(string Node, string Script, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);
}
