using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Reads YAML text into a <see cref="YamlValue"/> tree from the parser's events, keeping the position of every key
/// and value. Repeated keys are reported and dropped here, where the field path is known, instead of aborting.
/// </summary>
internal sealed class YamlDocumentReader
{
    // Lab files arrive over the REST API; bounds on nesting, values and aliases keep a hostile file from exhausting
    // the stack, the memory or the CPU. Nesting is checked before recursing, so the stack never grows past it.
    private const int MaxDepth = ParserLimits.MaxYamlDepth;

    private readonly IParser _parser;
    private readonly DiagnosticBag _diagnostics;
    private readonly ParseBudget _budget;
    private readonly Dictionary<string, YamlValue> _anchors = new(StringComparer.Ordinal);
    private bool _broken;
    private int _depth;
    private int _values;
    private int _aliases;

    private YamlDocumentReader(string yaml, DiagnosticBag diagnostics, ParseBudget budget)
    {
        _parser = new Parser(new StringReader(yaml));
        _diagnostics = diagnostics;
        _budget = budget;
    }

    /// <summary>
    /// Reads the first document; <paramref name="root"/> is null for an empty file. Returns false when the text is
    /// not usable YAML, because reading a half-built tree would only add misleading follow-on errors.
    /// </summary>
    public static bool TryRead(string yaml, DiagnosticBag diagnostics, ParseBudget budget, out YamlValue? root)
    {
        var reader = new YamlDocumentReader(yaml, diagnostics, budget);
        root = reader.ReadStream();
        return !reader._broken;
    }

    private YamlValue? ReadStream()
    {
        try
        {
            _parser.Consume<StreamStart>();
            if (_parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            _parser.Consume<DocumentStart>();
            var root = ReadValue("");
            _parser.Consume<DocumentEnd>();
            if (_parser.Accept<DocumentStart>(out var second))
            {
                _diagnostics.Add((int)second.Start.Line, (int)second.Start.Column, "",
                    "a lab file holds one YAML document, but a second one starts here",
                    "remove the '---' line, or put each lab in a file of its own");
            }

            return root;
        }
        catch (YamlException e)
        {
            var (message, hint) = YamlErrorText.Describe(e.Message);
            var at = YamlErrorText.PointsAtEnd(e.Message) ? e.End : e.Start;
            _diagnostics.Add((int)at.Line, (int)at.Column, "", message, hint);
            _broken = true;
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way on some malformed input instead of raising a YamlException.
            var at = _parser.Current?.Start;
            _diagnostics.Add((int)(at?.Line ?? 1), (int)(at?.Column ?? 1), "", "invalid YAML: the text cannot be read from here on",
                "check quotes, brackets and indentation around this line");
            _broken = true;
            return null;
        }
    }

    private YamlValue ReadValue(string path)
    {
        if (++_values % 256 == 0)
        {
            _budget.Check();
        }

        if (_values > ParserLimits.MaxYamlValues)
        {
            var at = _parser.Current!;
            throw new YamlException(at.Start, at.End, $"The file holds more than {ParserLimits.MaxYamlValues} values.");
        }

        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (++_aliases > ParserLimits.MaxYamlAliases)
            {
                throw new YamlException(alias.Start, alias.End, $"The file uses more than {ParserLimits.MaxYamlAliases} aliases ('*name').");
            }

            if (_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                return anchored;
            }

            _diagnostics.Add((int)alias.Start.Line, (int)alias.Start.Column, path, $"unknown alias '*{alias.Value.Value}'",
                "define the anchor with '&name' before using it");
            _broken = true;
            return new YamlScalarValue((int)alias.Start.Line, (int)alias.Start.Column, "", ScalarStyle.Plain);
        }

        var start = _parser.Current as NodeEvent
            ?? throw new YamlException(_parser.Current!.Start, _parser.Current.End, "Expected a value.");
        if (start is not Scalar && ++_depth > MaxDepth)
        {
            throw new YamlException(start.Start, start.End, $"Lists and mappings are nested more than {MaxDepth} levels deep.");
        }

        YamlValue value = start switch
        {
            Scalar scalar => ReadScalar(scalar),
            SequenceStart => ReadSequence(path),
            MappingStart => ReadMapping(path),
            _ => throw new YamlException(start.Start, start.End, "Expected a value."),
        };
        if (start is not Scalar)
        {
            _depth--;
        }

        if (!start.Anchor.IsEmpty)
        {
            _anchors[start.Anchor.Value] = value;
        }

        return value;
    }

    private YamlScalarValue ReadScalar(Scalar scalar)
    {
        if (scalar.Value.Length > ParserLimits.MaxScalarLength)
        {
            throw new YamlException(scalar.Start, scalar.End, $"A value is longer than {ParserLimits.MaxScalarLength} characters.");
        }

        _parser.MoveNext();
        return new YamlScalarValue((int)scalar.Start.Line, (int)scalar.Start.Column, scalar.Value, scalar.Style);
    }

    private YamlSequenceValue ReadSequence(string path)
    {
        var start = _parser.Consume<SequenceStart>();
        var items = new List<YamlValue>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadValue(FieldPath.Item(path, items.Count)));
        }

        return new YamlSequenceValue((int)start.Start.Line, (int)start.Start.Column, items);
    }

    private YamlMappingValue ReadMapping(string path)
    {
        var start = _parser.Consume<MappingStart>();
        var entries = new List<YamlEntry>();
        var seen = new Dictionary<string, YamlScalarValue>(StringComparer.Ordinal);
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadValue(path);
            if (key is not YamlScalarValue name)
            {
                _diagnostics.Add(key, path, "a key must be a plain name, not a list or mapping",
                    "write keys as 'name: value'");
                ReadValue(path);
                continue;
            }

            var valuePath = FieldPath.Child(path, name.Value);
            var value = ReadValue(valuePath);
            if (seen.TryGetValue(name.Value, out var first))
            {
                _diagnostics.Add(name, valuePath, $"duplicate key '{name.Value}' (first on line {first.Line})",
                    "a field may appear only once in a mapping; remove or merge one of them");
                continue;
            }

            seen.Add(name.Value, name);
            entries.Add(new YamlEntry(name, value));
        }

        return new YamlMappingValue((int)start.Start.Line, (int)start.Start.Column, entries);
    }
}
