namespace LabOrchestrator.Labs.Parsing;

/// <summary>Thrown inside the parsers when <see cref="ParseBudget"/> runs out; turned into a diagnostic at the top.</summary>
internal sealed class ParseBudgetExceededException(TimeSpan limit)
    : Exception($"reading the lab took longer than {limit.TotalSeconds:0} s")
{
    public const string Hint = "make the file smaller or less deeply nested";
}
