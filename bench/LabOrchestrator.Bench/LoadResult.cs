namespace LabOrchestrator.Bench;

/// <summary>What one load run measured: completed requests in the measured period and their latency in milliseconds.</summary>
internal sealed record LoadResult(int Requests, int Errors, long Bytes, double Seconds, double P50, double P99)
{
    public double RequestsPerSecond => Requests / Seconds;
}
