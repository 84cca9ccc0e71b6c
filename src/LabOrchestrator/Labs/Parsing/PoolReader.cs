using YamlDotNet.Core;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reads <c>pool: {size: N}</c>: how many sessions of the lab to keep started in advance.</summary>
internal static class PoolReader
{
    private const string Hint = "write it as 'pool: {size: 2}'";

    public static PoolDefinition? Read(YamlValue value, ValueReader values)
    {
        if (values.Mapping(value, "pool", Hint) is not { } mapping)
        {
            return null;
        }

        var fields = values.Fields(mapping, "pool", LabFields.Pool);
        if (fields.Required("size", Hint) is not { } size)
        {
            return null;
        }

        if (size is YamlScalarValue { Style: ScalarStyle.Plain } scalar
            && scalar.Value.All(char.IsAsciiDigit)
            && int.TryParse(scalar.Value, out var n)
            && n <= PoolDefinition.MaxSize)
        {
            return new PoolDefinition { Size = n };
        }

        values.Diagnostics.Add(size, fields.PathOf("size"), $"expected a whole number from 0 to {PoolDefinition.MaxSize}, found {ValueReader.Describe(size)}",
            "the number of sessions to keep started in advance, e.g. 2; 0 keeps none");
        return null;
    }

    /// <summary>Reports a pool on a lab that cannot be pooled, at the 'pool' field.</summary>
    public static void CheckEligible(LabDefinition lab, YamlValue at, DiagnosticBag diagnostics)
    {
        if (lab.Pool is { Size: > 0 } && PoolEligibility.WhyNot(lab) is { } why)
        {
            diagnostics.Add(at, "pool", $"this lab cannot keep a warm pool: {why}", PoolEligibility.Hint);
        }
    }
}
