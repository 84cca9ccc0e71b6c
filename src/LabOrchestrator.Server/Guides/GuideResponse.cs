using LabOrchestrator.Guides;

namespace LabOrchestrator.Server.Guides;

/// <summary>A session's lab guide, rendered for that session, with the session's progress.</summary>
public sealed record GuideResponse(string Title, ProgressSummary Progress, IReadOnlyList<GuidePageResponse> Pages);

/// <summary>One page of a guide as sanitised HTML, with its steps and how many of them are done.</summary>
public sealed record GuidePageResponse(string Id, string Title, string Html, ProgressSummary Progress, IReadOnlyList<GuideStepResponse> Steps);

/// <summary>A step of a guide page: whether the server can check it, its hints, and the session's progress on it.</summary>
public sealed record GuideStepResponse(string Id, string? Title, bool HasCheck, IReadOnlyList<string> Hints, StepProgressResponse Progress);

/// <summary>The session's progress on one step.</summary>
public sealed record StepProgressResponse(
    bool Done, DateTimeOffset? CompletedAt, StepCompletion? Method, int CheckAttempts, DateTimeOffset? LastCheckedAt, bool? LastCheckPassed, IReadOnlyList<string> LastFeedback)
{
    public static StepProgressResponse From(StepProgress p) =>
        new(p.Done, p.CompletedAt, p.Method, p.CheckAttempts, p.LastCheckedAt, p.LastCheckPassed, p.LastFeedback);
}

/// <summary>The outcome of a step's check, the step's progress after it, and the guide's overall progress.</summary>
public sealed record GuideCheckResponse(bool Passed, IReadOnlyList<string> Feedback, StepProgressResponse Step, ProgressSummary Progress);

/// <summary>A step ticked or unticked by hand, and the guide's overall progress after it.</summary>
public sealed record StepProgressUpdateResponse(StepProgressResponse Step, ProgressSummary Progress);

/// <summary>Body of <c>PUT …/steps/{stepId}/progress</c>.</summary>
public sealed record StepProgressRequest(bool? Done);

/// <summary>A session's progress through its guide, step by step (for instructors following learners).</summary>
public sealed record SessionProgressResponse(string SessionId, string UserId, string Lab, int Done, int Total, IReadOnlyList<SessionStepProgressResponse> Steps);

/// <summary>One step in <see cref="SessionProgressResponse"/>.</summary>
public sealed record SessionStepProgressResponse(string Id, string Page, string? Title, bool HasCheck, StepProgressResponse Progress);
