using System.Diagnostics;

namespace LabOrchestrator.Bench;

/// <summary>
/// One contender's start → first terminal byte split into the steps a learner's client takes, each with what the server
/// spent inside it (from <see cref="ClaimTimeline"/>): the steps up to the total add up to it; the indented lines are
/// parts of the line above them; the lines after the total are the terminal's exec, which overlaps the client's steps.
/// </summary>
internal sealed class StartBreakdown(string name)
{
    private readonly Dictionary<string, Samples> phases = [];

    public string Name { get; } = name;

    /// <summary>Client-side moments of one start, in <see cref="Stopwatch"/> ticks.</summary>
    public sealed record Moments(long Posted, long Answered, long Running, long TokenIssued, long Upgraded, long FirstByte);

    public void Add(Moments m, IReadOnlyList<ClaimTimeline.Span> server, ClaimTimeline timeline)
    {
        Add("POST /api/sessions", m.Posted, m.Answered);
        var execs = server.Where(s => s.Kind == "exec" && s.Start >= m.Posted && s.End <= m.Answered).ToList();
        // Nodes are rotated in parallel: the claim waits for the slowest.
        Add("  of which password exec (slowest node)", execs.Count == 0 ? 0 : execs.Max(s => s.Ms));
        Add("    of which libpod REST calls (inspect, create, exit code)", execs.Count == 0 ? 0 : execs.Max(e => timeline.LibpodWithin(e).Sum(s => s.Ms)));
        Add("  of which the rest (auth, admission, database, audit)", Ms(m.Posted, m.Answered) - (execs.Count == 0 ? 0 : execs.Max(s => s.Ms)));
        Add("polling until Running", m.Answered, m.Running);
        Add("POST …/access (token)", m.Running, m.TokenIssued);
        Add("WebSocket upgrade (101)", m.TokenIssued, m.Upgraded);
        Add("first byte after the upgrade", m.Upgraded, m.FirstByte);
        Add("total", m.Posted, m.FirstByte);
        // The terminal's exec: opened by the upgrade itself (cold), or by the claim once bound (warm), overlapping the steps above.
        var open = server.LastOrDefault(s => s.Kind == "open_terminal");
        Add("terminal exec (create, start, resize), overlapping the steps above", open?.Ms ?? 0);
        Add("  of which libpod REST calls (create, resize)", open is null ? 0 : timeline.LibpodWithin(open).Sum(s => s.Ms));
        Add("  began, after the POST was answered", open is null ? 0 : Ms(m.Answered, open.Start));
        Add("  ended, after the upgrade was asked for (≤ 0: ready before)", open is null ? 0 : Ms(m.TokenIssued, open.End));
        var shell = server.LastOrDefault(s => s.Kind == "shell_first_byte");
        Add("gateway read the shell's first byte, after the upgrade was asked for", shell is null ? 0 : Ms(m.TokenIssued, shell.Start));
    }

    public async Task ReportAsync(TextWriter output)
    {
        await output.WriteLineAsync($"| {Name}: step | median ms | p90 ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        foreach (var (phase, samples) in phases)
        {
            var label = phase.TrimStart();
            var indent = string.Concat(Enumerable.Repeat("↳ ", (phase.Length - label.Length) / 2));
            await output.WriteLineAsync($"| {indent}{label} | {samples.Median:0} | {samples.Percentile(0.9):0} | {samples.Max:0} |");
        }
    }

    private void Add(string phase, long from, long to) => Add(phase, Ms(from, to));

    private void Add(string phase, double ms)
    {
        if (!phases.TryGetValue(phase, out var samples))
        {
            phases[phase] = samples = new Samples(phase);
        }

        samples.Add(TimeSpan.FromMilliseconds(ms));
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
