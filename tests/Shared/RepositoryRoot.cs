namespace LabOrchestrator.Testing;

/// <summary>The checkout the tests run from (the folder holding LabOrchestrator.slnx), for example labs and docs. Linked into every test project.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>A folder under labs/.</summary>
    public static string Lab(string name) => System.IO.Path.Combine(Path, "labs", name);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "LabOrchestrator.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No LabOrchestrator.slnx above {AppContext.BaseDirectory}.");
    }
}
