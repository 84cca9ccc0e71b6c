using System.Text.Json;
using LabOrchestrator.Labs.Parsing;

namespace LabOrchestrator.Tests.Labs;

/// <summary>The JSON schema and the format reference must describe exactly the fields the parser knows.</summary>
public sealed class LabFormatDocsTests
{
    private static readonly string Root = RepositoryRoot.Path;

    public static TheoryData<string, string[]> Sections => new()
    {
        { "", LabFields.Lab.ToArray() },
        { "network", LabFields.Network.ToArray() },
        { "node", LabFields.Node.ToArray() },
        { "access", LabFields.Access.ToArray() },
        { "httpPort", LabFields.HttpPort.ToArray() },
        { "resources", LabFields.Resources.ToArray() },
        { "credential", LabFields.Credential.ToArray() },
        { "limits", LabFields.Limits.ToArray() },
        { "storage", LabFields.Storage.ToArray() },
        { "pool", LabFields.Pool.ToArray() },
    };

    [Fact]
    public void Schema_IsValidJsonOfDraft202012()
    {
        using var schema = LoadSchema();

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal(["name", "nodes"], schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Schema_ListsTheSameFieldsAsTheParser(string definition, string[] fields)
    {
        using var schema = LoadSchema();
        var section = definition.Length == 0 ? schema.RootElement : schema.RootElement.GetProperty("$defs").GetProperty(definition);

        Assert.Equal("object", section.GetProperty("type").GetString());
        Assert.False(section.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(fields.Order(), section.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        foreach (var property in section.GetProperty("properties").EnumerateObject())
        {
            Assert.True(property.Value.TryGetProperty("description", out _), $"'{property.Name}' of '{definition}' has no description");
        }
    }

    [Fact]
    public void Reference_MentionsEveryFieldAndTheValidateCommand()
    {
        var reference = File.ReadAllText(Path.Combine(Root, "docs", "lab-format.md"));

        var fields = LabFields.Lab.Concat(LabFields.Node).Concat(LabFields.Access).Concat(LabFields.HttpPort)
            .Concat(LabFields.Resources).Concat(LabFields.Credential).Concat(LabFields.Limits).Concat(LabFields.Storage).Concat(LabFields.Pool).Distinct();
        Assert.All(fields, field => Assert.Contains($"`{field}`", reference, StringComparison.Ordinal));
        Assert.Contains("labctl lab validate PATH", reference, StringComparison.Ordinal);
    }

    private static JsonDocument LoadSchema() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "docs", "schema", "lab.schema.json")));
}
