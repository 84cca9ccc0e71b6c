using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabOrchestrator.Tests.Compilation;

/// <summary>
/// Checks a JSON value against a definition of an OpenAPI 2 (Swagger) document: <c>$ref</c>, <c>type</c>,
/// <c>required</c>, <c>properties</c> (a property the definition does not name is an error, as the API server's
/// strict field validation makes it), <c>additionalProperties</c>, <c>items</c> and <c>enum</c>. That subset is all
/// KubeVirt's definitions use.
/// </summary>
internal sealed class OpenApiValidator(JsonElement definitions)
{
    public static OpenApiValidator Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new OpenApiValidator(document.RootElement.GetProperty("definitions").Clone());
    }

    public IReadOnlyList<string> Validate(JsonNode? value, string definition)
    {
        var errors = new List<string>();
        Check(value, definitions.GetProperty(definition), "$", errors);
        return errors;
    }

    private void Check(JsonNode? value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            if (!definitions.TryGetProperty(name, out var target))
            {
                errors.Add($"{path}: the schema refers to the unknown definition '{name}'");
                return;
            }

            Check(value, target, path, errors);
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !HasType(value, type))
        {
            errors.Add($"{path}: expected {type.GetRawText()}, found {Kind(value)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonNode.DeepEquals(JsonNode.Parse(a.GetRawText()), value)))
        {
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {allowed.GetRawText()}");
        }

        if (value is JsonObject obj)
        {
            CheckObject(obj, schema, path, errors);
        }
        else if (value is JsonArray array && schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private void CheckObject(JsonObject obj, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(name => !obj.ContainsKey(name)))
            {
                errors.Add($"{path}: missing required field '{name}'");
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var (name, child) in obj)
        {
            if (hasProperties && properties.TryGetProperty(name, out var propertySchema))
            {
                Check(child, propertySchema, $"{path}.{name}", errors);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                Check(child, additional, $"{path}.{name}", errors);
            }
            else if (hasProperties)
            {
                errors.Add($"{path}: unknown field '{name}'");
            }
        }
    }

    private static bool HasType(JsonNode? value, JsonElement type) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => HasType(value, t.GetString()!))
            : HasType(value, type.GetString()!);

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.IsInteger(v.GetValue<decimal>()),
        _ => true,
    };

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind().ToString().ToLowerInvariant(),
        _ => "something else",
    };
}
