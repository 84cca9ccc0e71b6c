using YamlDotNet.Core;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reads <c>limits</c>: the time limit and its extensions, the idle timeout and how long a session may stay paused.</summary>
internal static class LimitsReader
{
    /// <summary>More extensions than this is surely a typo; a lab that wants no end leaves out <c>duration</c>.</summary>
    public const int MaxExtensionsCeiling = 100;

    public static LimitsDefinition Read(FieldReader limits, ValueReader values)
    {
        var duration = limits["duration"] is { } d ? DurationRules.Read(d, limits.PathOf("duration"), values) : null;
        var maxExtensions = limits["maxExtensions"] is { } m ? ReadCount(m, limits.PathOf("maxExtensions"), values) : 0;
        if (maxExtensions > 0 && limits["duration"] is null)
        {
            values.Diagnostics.Add(limits["maxExtensions"]!, limits.PathOf("maxExtensions"), "extensions need a time limit, and this lab sets none",
                "add 'duration: 1h' (or similar) under limits, or remove maxExtensions");
        }

        var extendBy = limits["extendBy"] is { } e ? DurationRules.Read(e, limits.PathOf("extendBy"), values) : null;
        if (extendBy is not null && limits["maxExtensions"] is null)
        {
            values.Diagnostics.Add(limits["extendBy"]!, limits.PathOf("extendBy"), "extendBy has no effect without maxExtensions",
                "add 'maxExtensions: 2' (or similar) under limits, or remove extendBy");
        }

        return new LimitsDefinition
        {
            Duration = duration,
            IdleTimeout = limits["idleTimeout"] is { } idle ? DurationRules.Read(idle, limits.PathOf("idleTimeout"), values) : null,
            MaxExtensions = maxExtensions ?? 0,
            ExtendBy = extendBy ?? LimitsDefinition.DefaultExtendBy,
            PausedFor = (limits["pausedFor"] is { } p ? DurationRules.Read(p, limits.PathOf("pausedFor"), values) : null) ?? LimitsDefinition.DefaultPausedFor,
        };
    }

    private static int? ReadCount(YamlValue value, string path, ValueReader values)
    {
        if (value is YamlScalarValue { Style: ScalarStyle.Plain } scalar
            && scalar.Value.Length <= 4
            && scalar.Value.All(char.IsAsciiDigit)
            && int.TryParse(scalar.Value, out var count)
            && count <= MaxExtensionsCeiling)
        {
            return count;
        }

        values.Diagnostics.Add(value, path, $"expected a whole number from 0 to {MaxExtensionsCeiling}, found {ValueReader.Describe(value)}",
            "write how many times a learner may extend a session, e.g. 'maxExtensions: 2'");
        return null;
    }
}
