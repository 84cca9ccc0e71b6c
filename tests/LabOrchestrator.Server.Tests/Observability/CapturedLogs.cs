using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Server.Tests.Observability;

/// <summary>
/// A logger provider that keeps every entry the server writes, with its structured fields and the fields of its scopes,
/// as a JSON or console log would show them.
/// </summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    /// <summary>Every entry as one line: category, message, exception, fields and scope fields.</summary>
    public string All => string.Join('\n', Entries.Select(e => e.ToString()));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyDictionary<string, string> Fields)
    {
        public override string ToString() =>
            $"{Level} {Category}: {Message} {Exception} {string.Join(' ', Fields.Select(f => $"{f.Key}={f.Value}"))}";
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            Add(fields, state, "");
            var depth = 0;
            owner.scopes.ForEachScope((scope, _) => Add(fields, scope, $"scope{depth++}."), (object?)null);
            owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception?.ToString(), fields));
        }

        private static void Add(Dictionary<string, string> fields, object? state, string prefix)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    fields[prefix + key] = value?.ToString() ?? "";
                }
            }
            else if (state is IEnumerable<KeyValuePair<string, object>> objects)
            {
                foreach (var (key, value) in objects)
                {
                    fields[prefix + key] = value?.ToString() ?? "";
                }
            }
            else if (state is not null)
            {
                fields[prefix + "value"] = state.ToString() ?? "";
            }
        }
    }
}
