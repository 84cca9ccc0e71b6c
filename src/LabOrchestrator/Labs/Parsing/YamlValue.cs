namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// A node of the YAML document with the position it started at. The parser builds its own small tree rather than
/// YamlDotNet's representation model, which throws on the first duplicate key and so hides every later problem.
/// </summary>
internal abstract record YamlValue(int Line, int Column);
