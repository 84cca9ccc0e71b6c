namespace LabOrchestrator.Labs.Parsing;

internal sealed record YamlEntry(YamlScalarValue Key, YamlValue Value)
{
    public string Name => Key.Value;
}
