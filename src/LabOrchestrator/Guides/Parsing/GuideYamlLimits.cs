using LabOrchestrator.Labs.Parsing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LabOrchestrator.Guides.Parsing;

/// <summary>
/// Walks the YAML of a guide file or step body as a flat stream of events (the parser itself does not recurse) and
/// throws a <see cref="YamlException"/> at the first value that is nested too deeply, one too many, or an alias.
/// </summary>
internal static class GuideYamlLimits
{
    public static void Check(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var values = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case AnchorAlias or NodeEvent { Anchor.IsEmpty: false }:
                    throw new YamlException(current.Start, current.End, "Anchors and aliases ('&name', '*name') are not used in guides; write the value out.");
                case SequenceStart or MappingStart when ++depth > ParserLimits.MaxYamlDepth:
                    throw new YamlException(current.Start, current.End, $"Lists and mappings are nested more than {ParserLimits.MaxYamlDepth} levels deep.");
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
                case Scalar { Value.Length: > ParserLimits.MaxScalarLength }:
                    throw new YamlException(current.Start, current.End, $"A value is longer than {ParserLimits.MaxScalarLength} characters.");
            }

            if (current is NodeEvent && ++values > ParserLimits.MaxYamlValues)
            {
                throw new YamlException(current.Start, current.End, $"The text holds more than {ParserLimits.MaxYamlValues} values.");
            }
        }
    }
}
