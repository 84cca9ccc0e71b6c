namespace LabOrchestrator.Bench;

/// <summary>What one desktop run measured: full-screen Raw updates per second and MB/s, and 64x64 update latency in ms.</summary>
internal sealed record DesktopResult(int Width, int Height, double UpdatesPerSecond, double MegabytesPerSecond,
    double FirstByteP50, double FirstByteP99, double LastByteP50, double LastByteP99);
