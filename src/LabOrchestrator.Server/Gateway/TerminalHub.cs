namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Which owner terminals are open per session and node, and who watches them. Each owner connection has its own shell;
/// a watcher follows the most recently opened owner terminal of the node, moves to another when that one closes, and
/// waits (told so by a text frame) while the learner has none open.
/// </summary>
internal sealed class TerminalHub
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Session, string Node), Entry> entries = [];

    public void AddOwner(string sessionId, string node, TerminalFeed feed)
    {
        lock (gate)
        {
            var entry = Get(sessionId, node);
            entry.Owners.Add(feed);
            foreach (var watcher in entry.Waiting)
            {
                feed.Attach(watcher);
            }

            entry.Waiting.Clear();
        }
    }

    public void RemoveOwner(string sessionId, string node, TerminalFeed feed)
    {
        lock (gate)
        {
            if (!entries.TryGetValue((sessionId, node), out var entry) || !entry.Owners.Remove(feed))
            {
                return;
            }

            foreach (var watcher in feed.DetachAll())
            {
                if (entry.Owners.Count > 0)
                {
                    entry.Owners[^1].Attach(watcher);
                }
                else
                {
                    entry.Waiting.Add(watcher);
                    watcher.PostControl(ControlMessages.Waiting);
                }
            }

            Forget(sessionId, node, entry);
        }
    }

    public void AddWatcher(string sessionId, string node, TerminalWatcher watcher)
    {
        lock (gate)
        {
            var entry = Get(sessionId, node);
            if (entry.Owners.Count > 0)
            {
                entry.Owners[^1].Attach(watcher);
            }
            else
            {
                entry.Waiting.Add(watcher);
                watcher.PostControl(ControlMessages.Waiting);
            }
        }
    }

    public void RemoveWatcher(string sessionId, string node, TerminalWatcher watcher)
    {
        lock (gate)
        {
            if (entries.TryGetValue((sessionId, node), out var entry))
            {
                if (!entry.Waiting.Remove(watcher))
                {
                    foreach (var feed in entry.Owners)
                    {
                        if (feed.Detach(watcher))
                        {
                            break;
                        }
                    }
                }

                Forget(sessionId, node, entry);
            }
        }
    }

    private Entry Get(string sessionId, string node)
    {
        if (!entries.TryGetValue((sessionId, node), out var entry))
        {
            entry = new Entry();
            entries[(sessionId, node)] = entry;
        }

        return entry;
    }

    private void Forget(string sessionId, string node, Entry entry)
    {
        if (entry.Owners.Count == 0 && entry.Waiting.Count == 0)
        {
            entries.Remove((sessionId, node));
        }
    }

    private sealed class Entry
    {
        public List<TerminalFeed> Owners { get; } = [];
        public List<TerminalWatcher> Waiting { get; } = [];
    }
}
