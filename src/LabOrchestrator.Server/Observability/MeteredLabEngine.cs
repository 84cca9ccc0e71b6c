using System.Reflection;
using System.Runtime.ExceptionServices;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Server.Observability;

/// <summary>
/// Wraps the engine and counts its failed calls in <see cref="LabMetrics"/> by engine and operation (the method name
/// without Async, in snake case: <c>apply</c>, <c>open_terminal</c>). A <see cref="DispatchProxy"/> rather than a
/// hand-written decorator, so that members added to <see cref="ILabEngine"/> are counted without touching this file.
/// Cancellation is not an error.
/// </summary>
public class MeteredLabEngine : DispatchProxy
{
    private ILabEngine inner = null!;
    private LabMetrics metrics = null!;

    internal static ILabEngine Wrap(ILabEngine inner, LabMetrics metrics)
    {
        var proxy = Create<ILabEngine, MeteredLabEngine>();
        var metered = (MeteredLabEngine)(object)proxy;
        metered.inner = inner;
        metered.metrics = metrics;
        return proxy;
    }

    /// <summary>The engine behind the proxy (tests and diagnostics).</summary>
    internal static ILabEngine Unwrap(ILabEngine engine) => engine is MeteredLabEngine metered ? metered.inner : engine;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        object? result;
        try
        {
            result = targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            Count(targetMethod, e.InnerException);
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }

        if (result is Task task && !task.IsCompletedSuccessfully)
        {
            _ = task.ContinueWith(
                (t, state) => ((MeteredLabEngine)state!).Count(targetMethod, t.Exception?.InnerException),
                this,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return result;
    }

    private void Count(MethodInfo method, Exception? error)
    {
        if (error is null or OperationCanceledException)
        {
            return;
        }

        metrics.RecordEngineError(inner.Name, OperationName(method.Name));
    }

    internal static string OperationName(string method)
    {
        var name = method.EndsWith("Async", StringComparison.Ordinal) ? method[..^"Async".Length] : method;
        var snake = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(name[i]));
        }

        return snake.ToString();
    }
}
