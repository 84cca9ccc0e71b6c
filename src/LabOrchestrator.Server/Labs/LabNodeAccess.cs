using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>What a learner may open on a node.</summary>
internal sealed record LabNodeAccess(bool Terminal, bool Desktop, IReadOnlyList<HttpPortDefinition> Http);
