using LabOrchestrator.Sessions;

namespace LabOrchestrator.Tests.Sessions;

public sealed class SessionStateMachineTests
{
    [Theory]
    [InlineData(SessionState.Pending, SessionState.Starting)]
    [InlineData(SessionState.Starting, SessionState.Running)]
    [InlineData(SessionState.Starting, SessionState.Failed)]
    [InlineData(SessionState.Starting, SessionState.Stopping)]
    [InlineData(SessionState.Running, SessionState.Stopping)]
    [InlineData(SessionState.Failed, SessionState.Stopping)]
    [InlineData(SessionState.Stopping, SessionState.Stopped)]
    public void CanTransition_AlongTheLifecycle_IsAllowed(SessionState from, SessionState to) =>
        Assert.True(SessionStateMachine.CanTransition(from, to));

    [Theory]
    [InlineData(SessionState.Stopped, SessionState.Starting)]
    [InlineData(SessionState.Stopped, SessionState.Running)]
    [InlineData(SessionState.Running, SessionState.Starting)]
    [InlineData(SessionState.Pending, SessionState.Running)]
    [InlineData(SessionState.Failed, SessionState.Running)]
    public void CanTransition_BackwardsOrSkipping_IsRefused(SessionState from, SessionState to)
    {
        Assert.False(SessionStateMachine.CanTransition(from, to));
        var error = Assert.Throws<InvalidSessionStateException>(() => SessionStateMachine.EnsureTransition("abc", from, to));
        Assert.Equal($"Session 'abc' is {from} and cannot become {to}.", error.Message);
    }

    [Fact]
    public void Stopped_IsFinalAndEveryOtherStateCanBeStopped()
    {
        var states = Enum.GetValues<SessionState>();

        Assert.DoesNotContain(states, s => SessionStateMachine.CanTransition(SessionState.Stopped, s));
        Assert.All(states.Where(s => s is not SessionState.Stopped and not SessionState.Stopping),
            s => Assert.True(SessionStateMachine.CanTransition(s, SessionState.Stopping)));
    }
}
