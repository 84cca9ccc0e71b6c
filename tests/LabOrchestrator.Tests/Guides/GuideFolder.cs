using LabOrchestrator.Tests.Support;

namespace LabOrchestrator.Tests.Guides;

/// <summary>A guide folder in a temporary directory, written file by file.</summary>
internal sealed class GuideFolder : IDisposable
{
    private readonly TempDirectory directory = new();

    public string Path => directory.Path;

    public GuideFolder Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        System.IO.File.WriteAllText(file, text);
        return this;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => directory.Dispose();
}
