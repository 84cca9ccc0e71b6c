using LabOrchestrator.Labs;
using LabOrchestrator.Tests.Support;

namespace LabOrchestrator.Tests.Labs;

public sealed class LabCatalogTests : IDisposable
{
    private const string Valid = """
        name: demo
        title: Demo
        tags: [a, b]
        nodes:
          - name: box
            image: localhost/lab-base:latest
        """;

    private readonly TempDirectory temp = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Add_ValidLab_CanBeListedAndReadBack()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var catalog = host.Get<ILabCatalog>();

        await catalog.AddAsync(new LabSource(Valid, "demo.yaml", null), Ct);

        var lab = Assert.Single(await catalog.ListAsync(Ct));
        Assert.Equal("demo", lab.Name);
        Assert.Equal("Demo", lab.Definition.Title);
        Assert.Equal(["a", "b"], lab.Definition.Tags);
        Assert.Equal("box", Assert.Single(lab.Definition.Nodes).Name);
        Assert.Equal(host.Clock.GetUtcNow(), lab.CreatedAt);
    }

    [Fact]
    public async Task Add_InvalidLab_ThrowsEveryProblemAndStoresNothing()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var catalog = host.Get<ILabCatalog>();

        var error = await Assert.ThrowsAsync<LabValidationException>(() =>
            catalog.AddAsync(new LabSource("name: Bad_Name\nnodes: []\n", "bad.yaml", null), Ct));

        Assert.True(error.Diagnostics.Count >= 2);
        Assert.All(error.Diagnostics, d => Assert.Equal("bad.yaml", d.File));
        Assert.Empty(await catalog.ListAsync(Ct));
    }

    [Fact]
    public async Task Add_SameNameTwice_IsRefused()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var catalog = host.Get<ILabCatalog>();
        await catalog.AddAsync(new LabSource(Valid, "demo.yaml", null), Ct);

        var error = await Assert.ThrowsAsync<LabAlreadyExistsException>(() => catalog.AddAsync(new LabSource(Valid, "demo.yaml", null), Ct));

        Assert.Equal("A lab named 'demo' already exists. Update it instead, or remove it first.", error.Message);
    }

    [Fact]
    public async Task Update_ChangesTheLabAndItsUpdateTime()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var catalog = host.Get<ILabCatalog>();
        var created = await catalog.AddAsync(new LabSource(Valid, "demo.yaml", null), Ct);
        host.Clock.Advance(TimeSpan.FromMinutes(5));

        await catalog.UpdateAsync(new LabSource(Valid.Replace("title: Demo", "title: Better demo"), "demo.yaml", null), Ct);

        var lab = await catalog.GetAsync("demo", Ct);
        Assert.NotNull(lab);
        Assert.Equal("Better demo", lab.Definition.Title);
        Assert.Equal(created.CreatedAt, lab.CreatedAt);
        Assert.Equal(created.CreatedAt + TimeSpan.FromMinutes(5), lab.UpdatedAt);
    }

    [Fact]
    public async Task Update_UnknownLab_IsRefused()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));

        await Assert.ThrowsAsync<LabNotFoundException>(() =>
            host.Get<ILabCatalog>().UpdateAsync(new LabSource(Valid, "demo.yaml", null), Ct));
    }

    [Fact]
    public async Task Remove_DeletesOnlyThatLab()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var catalog = host.Get<ILabCatalog>();
        await catalog.AddAsync(new LabSource(Valid, "demo.yaml", null), Ct);
        await catalog.AddAsync(new LabSource(Valid.Replace("name: demo", "name: other"), "other.yaml", null), Ct);

        Assert.True(await catalog.RemoveAsync("demo", Ct));
        Assert.False(await catalog.RemoveAsync("demo", Ct));

        Assert.Equal(["other"], (await catalog.ListAsync(Ct)).Select(l => l.Name));
    }

    [Fact]
    public async Task Store_IsKeptInTheSqliteFileAcrossRestarts()
    {
        var path = temp.File("nested/folder/store.db");
        await using (var first = await LibraryHost.StartAsync(path))
        {
            await first.Get<ILabCatalog>().AddAsync(new LabSource(Valid, "demo.yaml", null), Ct);
        }

        Assert.True(File.Exists(path));
        await using var second = await LibraryHost.StartAsync(path);
        Assert.NotNull(await second.Get<ILabCatalog>().GetAsync("demo", Ct));
    }

    public void Dispose() => temp.Dispose();
}
