namespace LabOrchestrator.Server.Guides;

/// <summary>A session's lab guide, rendered for that session.</summary>
public sealed record GuideResponse(string Title, IReadOnlyList<GuidePageResponse> Pages);

/// <summary>One page of a guide as sanitised HTML, with its steps.</summary>
public sealed record GuidePageResponse(string Id, string Title, string Html, IReadOnlyList<GuideStepResponse> Steps);

/// <summary>A step of a guide page: whether the server can check it, and its hints.</summary>
public sealed record GuideStepResponse(string Id, string? Title, bool HasCheck, IReadOnlyList<string> Hints);

/// <summary>The outcome of a step's check.</summary>
public sealed record GuideCheckResponse(bool Passed, IReadOnlyList<string> Feedback);
