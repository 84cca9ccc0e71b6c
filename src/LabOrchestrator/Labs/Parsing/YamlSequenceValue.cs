namespace LabOrchestrator.Labs.Parsing;

internal sealed record YamlSequenceValue(int Line, int Column, IReadOnlyList<YamlValue> Items) : YamlValue(Line, Column);
