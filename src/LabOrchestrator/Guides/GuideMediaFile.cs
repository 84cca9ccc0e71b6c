namespace LabOrchestrator.Guides;

/// <summary>
/// A file of a guide folder that may be served. <see cref="IsActive"/> marks types that can run script when opened
/// directly (SVG); serve those with <c>Content-Security-Policy: sandbox</c>.
/// </summary>
public sealed record GuideMediaFile(string FullPath, string ContentType, bool IsActive);
