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

    // Flow collections ('[' and '{') still open: an error at the end of the text is reported at the one left open.
    private readonly Stack<(char Bracket, Mark Start)> _openFlows = new();
    private readonly string _yaml;
    private bool _broken;
    private int _depth;
    private int _values;
    private int _aliases;

    private YamlDocumentReader(string yaml, DiagnosticBag diagnostics, ParseBudget budget)
    {
        _parser = new Parser(new StringReader(yaml));
        _yaml = yaml;
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
            ReportSyntaxError(e.Message, e.Start, e.End);
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up this way on some malformed input instead of raising a YamlException;
            // its own message ("Operation is not valid due to the current state of the object") means nothing to an author.
            var at = TryCurrentStart();
            ReportSyntaxError(e.Message, at, at);
            return null;
        }
    }

    private Mark TryCurrentStart()
    {
        try
        {
            return _parser.Current?.Start ?? Mark.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or YamlException)
        {
            return Mark.Empty;
        }
    }

    private void ReportSyntaxError(string parserMessage, Mark start, Mark end)
    {
        _broken = true;
        if (_openFlows.TryPeek(out var open) && YamlErrorText.IsUnclosedFlow(parserMessage))
        {
            // The parser notices a missing ']' or '}' only where the text ends or the next field starts; the author
            // must look at the bracket that was opened.
            var (message, hint) = YamlErrorText.Unclosed(open.Bracket);
            _diagnostics.Add(Math.Max(1, (int)open.Start.Line), Math.Max(1, (int)open.Start.Column), "", message, hint);
            return;
        }

        var (text, fix) = YamlErrorText.Describe(parserMessage);
        if (YamlErrorText.IsTab(parserMessage) && FirstTab((int)start.Line) is { } tab)
        {
            _diagnostics.Add(tab.Line, tab.Column, "", text, fix);
            return;
        }

        var at = YamlErrorText.PointsAtEnd(parserMessage) ? end : start;
        _diagnostics.Add(Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "", text, fix);
    }

    /// <summary>
    /// The first tab in a line's indentation from <paramref name="fromLine"/> on: YamlDotNet's span for a tab can start
    /// at the top of the file or end on the value before it.
    /// </summary>
    private (int Line, int Column)? FirstTab(int fromLine)
    {
        var lines = _yaml.Split('\n');
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = pass == 0 ? Math.Max(0, fromLine - 1) : 0; i < lines.Length; i++)
            {
                var line = lines[i];
                for (var c = 0; c < line.Length && char.IsWhiteSpace(line[c]); c++)
                {
                    if (line[c] == '\t')
                    {
                        return (i + 1, c + 1);
                    }
                }
            }
        }

        return null;
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
        // Pushed before moving on: an unclosed bracket at the end of the text fails on that very move.
        var start = (_parser.Current as SequenceStart)!;
        var flow = start.Style == SequenceStyle.Flow;
        if (flow)
        {
            _openFlows.Push(('[', start.Start));
        }

        _parser.MoveNext();

        var items = new List<YamlValue>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            var itemPath = FieldPath.Item(path, items.Count);
            var item = ReadValue(itemPath);
            if (item is YamlScalarValue { IsNull: true })
            {
                // An empty item ('-' alone, '~', '[ , x]') is a slip, not a value: dropping it silently hides the mistake.
                _diagnostics.Add(item, itemPath, "the list item is empty",
                    flow ? "remove the extra ',' or write the item" : "remove the '-' line or write the item after it");
            }

            items.Add(item);
        }

        if (flow)
        {
            _openFlows.Pop();
        }

        return new YamlSequenceValue((int)start.Start.Line, (int)start.Start.Column, items);
    }

    private YamlMappingValue ReadMapping(string path)
    {
        // Pushed before moving on: an unclosed bracket at the end of the text fails on that very move.
        var start = (_parser.Current as MappingStart)!;
        var flow = start.Style == MappingStyle.Flow;
        if (flow)
        {
            _openFlows.Push(('{', start.Start));
        }

        _parser.MoveNext();

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

        if (flow)
        {
            _openFlows.Pop();
        }

        return new YamlMappingValue((int)start.Start.Line, (int)start.Start.Column, entries);
    }
}
