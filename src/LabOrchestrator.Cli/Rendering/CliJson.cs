using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>The JSON written by --output json: camelCase, enums by name, nulls left out, indented.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
