namespace LabOrchestrator.Bench;

/// <summary>Timings of one contender, in milliseconds.</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> values = [];

    public string Name { get; } = name;
    public int Count => values.Count;

    public void Add(TimeSpan elapsed) => values.Add(elapsed.TotalMilliseconds);

    public void AddRange(Samples other) => values.AddRange(other.values);

    public double Median => Percentile(0.5);
    public double Min => values.Min();
    public double Max => values.Max();

    public double Percentile(double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
