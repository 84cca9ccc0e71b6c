namespace LabOrchestrator.Server.Tests.Support;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Lab(string name) => System.IO.Path.Combine(Path, "labs", name);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "LabOrchestrator.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LabOrchestrator.slnx not found above the test folder.");
    }
}
