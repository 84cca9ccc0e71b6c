namespace LabOrchestrator.Labs;

/// <summary>Reads and validates lab files, reporting every problem with its file, line and column.</summary>
public static class LabParser
{
    public static LabParseResult Parse(LabSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        throw new NotImplementedException("The lab parser is being written.");
    }
}
