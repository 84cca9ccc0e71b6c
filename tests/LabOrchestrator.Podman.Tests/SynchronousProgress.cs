using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

/// <summary>Records progress as it is reported (Progress&lt;T&gt; would post it to a thread pool later).</summary>
internal sealed class SynchronousProgress(List<NodeStatus> sink) : IProgress<NodeStatus>
{
    public void Report(NodeStatus value)
    {
        lock (sink)
        {
            sink.Add(value);
        }
    }
}
