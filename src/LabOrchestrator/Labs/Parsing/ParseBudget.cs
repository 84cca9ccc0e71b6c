namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Bounds the time one lab with its guide may take to read. The parsers check it between units of work (YAML events,
/// pages, steps); running out becomes a diagnostic, while the caller's own cancellation propagates as usual.
/// </summary>
internal sealed class ParseBudget(TimeProvider time, TimeSpan limit, CancellationToken cancellationToken)
{
    private readonly long started = time.GetTimestamp();

    public TimeSpan Limit { get; } = limit;

    public static ParseBudget Start(CancellationToken cancellationToken) =>
        new(TimeProvider.System, ParserLimits.ParseBudget, cancellationToken);

    public void Check()
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (time.GetElapsedTime(started) > Limit)
        {
            throw new ParseBudgetExceededException(Limit);
        }
    }
}
