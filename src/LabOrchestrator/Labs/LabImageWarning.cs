namespace LabOrchestrator.Labs;

/// <summary>
/// A node whose image the engine does not have (or cannot tell): the lab is stored, but a learner's start would fail
/// until the image is built or pulled. <paramref name="Present"/> is false when missing, null when the engine cannot know.
/// </summary>
public sealed record LabImageWarning(string Node, string Image, bool? Present, string Message);
