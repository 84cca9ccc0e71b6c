namespace LabOrchestrator.Labs.Parsing;

/// <summary>A mapping whose keys are unique: the document reader reports and drops repeated keys.</summary>
internal sealed record YamlMappingValue(int Line, int Column, IReadOnlyList<YamlEntry> Entries) : YamlValue(Line, Column);
