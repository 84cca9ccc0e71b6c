using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>A stored lab and whether the write created it (201) or replaced an existing one (200).</summary>
internal sealed record LabSaveResult(StoredLab Lab, bool Created);
