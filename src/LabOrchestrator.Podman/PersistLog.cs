using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>Log lines of reset, save and per-learner storage (event ids 1201+, apart from <see cref="PodmanLog"/>'s).</summary>
internal static partial class PersistLog
{
    [LoggerMessage(1201, LogLevel.Information, "Resetting node {Node} of session {SessionId}: removed {Pods} pod(s)")]
    public static partial void NodeRemoved(ILogger logger, string node, string sessionId, int pods);

    [LoggerMessage(1202, LogLevel.Information, "Saved node {Node} of session {SessionId} as image {Image} in {ElapsedMs:0} ms")]
    public static partial void NodeSaved(ILogger logger, string node, string sessionId, string image, double elapsedMs);

    [LoggerMessage(1203, LogLevel.Information, "Removed {Volumes} persistent volume(s) and {Images} image(s) labelled {Selector}")]
    public static partial void PersistentDeleted(ILogger logger, int volumes, int images, string selector);
}
