using System.Diagnostics.Metrics;
using LabOrchestrator.Guides;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Observability;

/// <summary>
/// The server's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> that <c>/metrics</c> exports
/// (docs/lifecycle-metrics.md lists them). Every tag value comes from a small set (states, kinds, results, lab names),
/// never from user input, so the number of series stays bounded.
/// </summary>
internal sealed class LabMetrics
{
    public const string MeterName = "LabOrchestrator";

    // Starts take from a fraction of a second (warm pool) to minutes (a VM under emulation).
    private static readonly double[] StartBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private readonly Histogram<double> startDuration;
    private readonly UpDownCounter<long> gatewayConnections;
    private readonly Counter<long> gatewayBytes;
    private readonly Counter<long> checks;
    private readonly Counter<long> reconcilerActions;
    private readonly Counter<long> engineErrors;

    public LabMetrics(IMeterFactory meters, SessionCounts sessions)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "labo.sessions",
            () => sessions.Current.Select(c => new Measurement<long>(c.Count, new("lab", c.Lab), new("state", StateTag(c.State)))),
            unit: "{session}",
            description: "Sessions by lab and state, from the database (refreshed at most every Metrics:SessionCountsMaxAge).");
        startDuration = meter.CreateHistogram(
            "labo.session.start.duration",
            unit: "s",
            description: "From accepting a start to Running (or Failed); kind cold = the engine created the nodes, warm = claimed from a pool.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StartBuckets });
        gatewayConnections = meter.CreateUpDownCounter<long>("labo.gateway.connections", "{connection}", "Open gateway connections by kind (terminal, desktop, web).");
        gatewayBytes = meter.CreateCounter<long>("labo.gateway.io", "By", "Bytes moved by the gateway, by kind and direction (to_node, to_client).");
        checks = meter.CreateCounter<long>("labo.guide.checks", "{check}", "Guide step checks run, by lab and result (passed, failed, timed_out).");
        reconcilerActions = meter.CreateCounter<long>("labo.reconciler.actions", "{action}", "What the reconciler did, by action.");
        engineErrors = meter.CreateCounter<long>("labo.engine.errors", "{error}", "Engine calls that failed, by engine and operation.");
    }

    /// <summary>A start ended (Running or Failed). Cold starts are recorded by the session runner; a warm pool records its claims.</summary>
    public void RecordStart(string lab, bool warm, SessionState outcome, TimeSpan elapsed) =>
        startDuration.Record(elapsed.TotalSeconds, new("kind", warm ? "warm" : "cold"), new("lab", lab), new("outcome", StateTag(outcome)));

    public void ConnectionOpened(string kind) => gatewayConnections.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ConnectionClosed(string kind) => gatewayConnections.Add(-1, new KeyValuePair<string, object?>("kind", kind));

    public void Transferred(string kind, bool toNode, long bytes)
    {
        if (bytes > 0)
        {
            gatewayBytes.Add(bytes, new("kind", kind), new("direction", toNode ? "to_node" : "to_client"));
        }
    }

    public void RecordCheck(string lab, GuideCheckResult result) =>
        checks.Add(1, new("lab", lab), new("result", result.TimedOut ? "timed_out" : result.Passed ? "passed" : "failed"));

    /// <summary>For the reconciler: one call per action taken (e.g. <c>removed_orphan</c>, <c>failed_session</c>, <c>finished_stop</c>).</summary>
    public void RecordReconcilerAction(string action, long count = 1) =>
        reconcilerActions.Add(count, new KeyValuePair<string, object?>("action", action));

    public void RecordEngineError(string engine, string operation) =>
        engineErrors.Add(1, new("engine", engine), new("operation", operation));

    private static string StateTag(SessionState state) => state.ToString().ToLowerInvariant();
}
