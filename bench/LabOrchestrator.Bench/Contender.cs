namespace LabOrchestrator.Bench;

/// <summary>One system under test in a side-by-side benchmark, with what each of its rounds measured.</summary>
internal sealed class Contender<TResult>(string name, Uri url, string? header)
{
    public string Name { get; } = name;
    public Uri Url { get; } = url;

    /// <summary>The header (<c>Name: value</c>) that authorises its requests or connection, if any.</summary>
    public string? Header { get; } = header;

    public List<TResult> Results { get; } = [];

    /// <summary>The median over rounds of one measure.</summary>
    public double Median(Func<TResult, double> measure)
    {
        var values = Results.Select(measure).Order().ToList();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
