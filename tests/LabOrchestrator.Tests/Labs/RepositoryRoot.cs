namespace LabOrchestrator.Tests.Labs;

/// <summary>Finds the checkout the tests run from, so they can read the example labs and the docs.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LabOrchestrator.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No LabOrchestrator.slnx above {AppContext.BaseDirectory}.");
    }
}
