namespace LabOrchestrator.Server.Gateway;

/// <summary>The output of one owner's open terminal, fanned out to the watchers attached to it.</summary>
internal sealed class TerminalFeed(ushort columns, ushort rows)
{
    private TerminalWatcher[] watchers = [];

    public ushort Columns { get; private set; } = columns;
    public ushort Rows { get; private set; } = rows;

    /// <summary>Called by the owner's output pump for every chunk; costs nothing while nobody watches.</summary>
    public void Publish(ReadOnlySpan<byte> output)
    {
        foreach (var watcher in Volatile.Read(ref watchers))
        {
            watcher.PostOutput(output);
        }
    }

    public void Resized(ushort newColumns, ushort newRows)
    {
        Columns = newColumns;
        Rows = newRows;
        var current = Volatile.Read(ref watchers);
        if (current.Length > 0)
        {
            var size = ControlMessages.Size(newColumns, newRows);
            foreach (var watcher in current)
            {
                watcher.PostControl(size);
            }
        }
    }

    // Attach and detach run under the hub's lock; Publish reads the array without one.
    internal void Attach(TerminalWatcher watcher)
    {
        Volatile.Write(ref watchers, [.. watchers, watcher]);
        watcher.PostControl(ControlMessages.Attached);
        watcher.PostControl(ControlMessages.Size(Columns, Rows));
    }

    internal bool Detach(TerminalWatcher watcher)
    {
        var before = watchers;
        Volatile.Write(ref watchers, [.. before.Where(w => w != watcher)]);
        return before.Length != watchers.Length;
    }

    internal TerminalWatcher[] DetachAll() => Interlocked.Exchange(ref watchers, []);
}
