namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>One API server for every test that needs one (it takes 10–30 s to start).</summary>
[CollectionDefinition(Name)]
public sealed class ApiServerCollection : ICollectionFixture<ApiServerFixture>
{
    public const string Name = "Kubernetes API server";
}
