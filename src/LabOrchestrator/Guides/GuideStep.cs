namespace LabOrchestrator.Guides;

/// <summary>
/// Something the learner does. With a <see cref="Check"/> it ticks itself when the check passes; without one the
/// learner ticks it by hand.
/// </summary>
public sealed record GuideStep
{
    /// <summary>Unique within the guide.</summary>
    public required string Id { get; init; }
    public required string Page { get; init; }
    public string? Title { get; init; }
    /// <summary>Line of the step's opening fence in its page, for messages.</summary>
    public int Line { get; init; }
    public GuideScript? Check { get; init; }
    /// <summary>Does what the learner is asked to do; for authors and <c>labctl lab test</c>, never shown to learners.</summary>
    public GuideScript? Solve { get; init; }
    public IReadOnlyList<string> Hints { get; init; } = [];

    /// <summary><c>page/step</c>, how steps are named in messages.</summary>
    public string Reference => $"{Page}/{Id}";
}
