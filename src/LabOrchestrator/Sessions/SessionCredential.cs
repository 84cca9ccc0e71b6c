namespace LabOrchestrator.Sessions;

/// <summary>A login the learner is shown for one node of their session.</summary>
public sealed record SessionCredential(string Node, string Name, string Username, string Password);
