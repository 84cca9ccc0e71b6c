namespace LabOrchestrator.Engines;

/// <summary>An engine could not do what was asked; the message is meant for the user.</summary>
public sealed class EngineException : Exception
{
    public EngineException(string message) : base(message) { }
    public EngineException(string message, Exception inner) : base(message, inner) { }
}
