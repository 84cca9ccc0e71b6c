using LabOrchestrator.Guides;

namespace LabOrchestrator.Tests.Guides;

public sealed class GuideCheckerTests
{
    [Fact]
    public void Feedback_KeepsOnlyFailLines_WithoutThePrefix()
    {
        var output = "checking\nFAIL: no file\r\n  FAIL: indented is not feedback\nFAIL:   spaced  \nok\n";

        Assert.Equal(["no file", "spaced"], GuideChecker.Feedback(output));
    }
}
