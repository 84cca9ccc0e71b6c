namespace LabOrchestrator.Cli.Tests.Support;

internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

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
