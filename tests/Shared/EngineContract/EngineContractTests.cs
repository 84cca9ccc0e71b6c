using System.Text;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Testing.EngineContract;

/// <summary>
/// The engine contract: what every <see cref="ILabEngine"/> does alike, run unchanged against each engine through its
/// <see cref="EngineContractDriver"/>. Each test applies its own session and deletes it, even when it fails.
/// </summary>
public abstract class EngineContractTests : IAsyncLifetime
{
    private readonly EngineContractDriver driver;

    private protected EngineContractTests(EngineContractDriver driver) => this.driver = driver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ILabEngine Engine => driver.Engine;

    public ValueTask InitializeAsync() => driver.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await driver.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public Task Apply_Twice_KeepsTheSameObjects_AllListedByTheSessionLabel() => WithRunningSessionAsync(async plan =>
    {
        var first = await ListAsync(plan.SessionId);

        await driver.ApplyAsync(plan, Ct);

        var second = await ListAsync(plan.SessionId);
        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.All(plan.Nodes, n => Assert.Contains(second, r => r.Contains(n.Name, StringComparison.Ordinal)));
    });

    [Fact]
    public async Task Delete_RemovesEverythingLabelledWithTheSession_AndTwiceIsFine()
    {
        var plan = ContractLab.Running(driver.NewSessionId(), driver.Image);
        try
        {
            await driver.ApplyAsync(plan, Ct);
            Assert.NotEmpty(await ListAsync(plan.SessionId));

            await Engine.DeleteAsync(plan.SessionId, Ct);

            Assert.Empty(await ListAsync(plan.SessionId));
            Assert.DoesNotContain(await Engine.GetStatusAsync(plan.SessionId, Ct), s => s.State == NodeState.Running);
            await Engine.DeleteAsync(plan.SessionId, Ct);
        }
        finally
        {
            await Engine.DeleteAsync(plan.SessionId, CancellationToken.None);
        }
    }

    [Fact]
    public Task GetStatus_AfterApply_ReportsEveryNodeRunning() => WithRunningSessionAsync(async plan =>
    {
        var status = await Engine.GetStatusAsync(plan.SessionId, Ct);

        Assert.Equal(plan.Nodes.Select(n => n.Name).Order(), status.Select(s => s.Node).Order());
        Assert.All(status, s => Assert.Equal(NodeState.Running, s.State));
    });

    [Fact]
    public async Task Apply_NodeWhoseImageCannotBeHad_FailsWithAnEngineException_AndNoNodeIsReportedRunning()
    {
        var plan = ContractLab.Failing(driver.NewSessionId());
        try
        {
            var failure = await Assert.ThrowsAsync<EngineException>(() => driver.ApplyAsync(plan, Ct));

            Assert.True(
                failure.Message.Contains("broken", StringComparison.Ordinal) || failure.Message.Contains(ContractLab.MissingImage, StringComparison.Ordinal),
                $"The failure names neither the node nor its image: {failure.Message}");
            Assert.Contains("image", failure.Message, StringComparison.OrdinalIgnoreCase);
            var status = await Engine.GetStatusAsync(plan.SessionId, Ct);
            Assert.DoesNotContain(status, s => s.State == NodeState.Running);
            Assert.All(status.Where(s => s.State == NodeState.Failed), s => Assert.False(string.IsNullOrWhiteSpace(s.Message), "A failed node says why."));
        }
        finally
        {
            await Engine.DeleteAsync(plan.SessionId, CancellationToken.None);
        }
    }

    [Fact]
    public Task Exec_ReturnsTheExitCode_AndKeepsStdoutAndStderrApart() => WithRunningSessionAsync(async plan =>
    {
        var failed = await Engine.ExecAsync(plan.SessionId, "idle", ["sh", "-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(30), Ct);
        var succeeded = await Engine.ExecAsync(plan.SessionId, "idle", ["sh", "-c", "echo fine"], TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(new ExecResult(3, "out\n", "err\n"), failed);
        Assert.Equal(new ExecResult(0, "fine\n", ""), succeeded);
    });

    [Fact]
    public Task Exec_CommandOutlivingItsTimeout_ReportsTimedOut_Promptly() => WithRunningSessionAsync(async plan =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await Engine.ExecAsync(plan.SessionId, "idle", ["sh", "-c", "sleep 60"], TimeSpan.FromSeconds(1), Ct);

        Assert.True(result.TimedOut);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"The timed-out command took {watch.Elapsed} to return.");
        Assert.False((await Engine.ExecAsync(plan.SessionId, "idle", ["sh", "-c", "echo fine"], TimeSpan.FromSeconds(30), Ct)).TimedOut);
    });

    [Fact]
    public Task Exec_OnANodeThatDoesNotExist_ThrowsAnEngineExceptionNamingIt() => WithRunningSessionAsync(async plan =>
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => Engine.ExecAsync(plan.SessionId, "nobody", ["sh", "-c", "echo fine"], TimeSpan.FromSeconds(30), Ct));

        Assert.Contains("'nobody'", error.Message, StringComparison.Ordinal);
    });

    [Fact]
    public async Task ExecAndTerminal_InASessionThatDoesNotExist_ThrowAnEngineException()
    {
        var session = driver.NewSessionId();

        var exec = await Assert.ThrowsAsync<EngineException>(() => Engine.ExecAsync(session, "idle", ["sh", "-c", "echo fine"], TimeSpan.FromSeconds(30), Ct));
        var terminal = await Assert.ThrowsAsync<EngineException>(() => Engine.OpenTerminalAsync(session, "idle", new TerminalOptions(), Ct));

        Assert.False(string.IsNullOrWhiteSpace(exec.Message));
        Assert.Contains("idle", terminal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Terminal_TypedInputComesBack_ResizeWorks_AndDisposeEndsIt() => WithRunningSessionAsync(async plan =>
    {
        var terminal = await Engine.OpenTerminalAsync(plan.SessionId, "idle", new TerminalOptions { Columns = 80, Rows = 24 }, Ct);
        try
        {
            var screen = new StringBuilder();
            await TypeAsync(terminal, "echo contract-before\r");
            await ReadUntilAsync(terminal.Output, screen, "contract-before");

            await terminal.ResizeAsync(100, 30, Ct);
            await TypeAsync(terminal, "echo contract-after\r");
            await ReadUntilAsync(terminal.Output, screen, "contract-after");
        }
        finally
        {
            await terminal.DisposeAsync();
        }

        await driver.AssertTerminalEndedAsync(plan.SessionId, "idle", Ct);
    });

    [Fact]
    public Task PortStream_ToAPortTheNodeOffers_CarriesBytesBothWays() => WithRunningSessionAsync(async plan =>
    {
        await using var stream = await Engine.OpenPortStreamAsync(plan.SessionId, "web", ContractLab.EchoPort, Ct);
        Assert.NotNull(stream);

        var screen = new StringBuilder();
        await stream.WriteAsync("ping-contract\n"u8.ToArray(), Ct);
        await stream.FlushAsync(Ct);
        await ReadUntilAsync(stream, screen, "ping-contract\n");
        await stream.WriteAsync("second\n"u8.ToArray(), Ct);
        await stream.FlushAsync(Ct);
        await ReadUntilAsync(stream, screen, "second\n");

        Assert.Equal("ping-contract\nsecond\n", screen.ToString());
    });

    [Fact]
    public Task PortStream_ToAPortTheNodeDoesNotOffer_GivesWhatTheEngineDocuments() => WithRunningSessionAsync(async plan =>
    {
        var stream = await Engine.OpenPortStreamAsync(plan.SessionId, "web", ContractLab.UnofferedPort, Ct);
        await using (stream)
        {
            switch (driver.UnofferedPort)
            {
                case UnofferedPortOutcome.Null:
                    Assert.Null(stream);
                    break;
                case UnofferedPortOutcome.EngineExceptionOnRead:
                    Assert.NotNull(stream);
                    var error = await Assert.ThrowsAsync<EngineException>(async () => await stream.ReadAsync(new byte[16], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
                    Assert.Contains(ContractLab.UnofferedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
                    break;
            }
        }
    });

    private async Task WithRunningSessionAsync(Func<CompiledPlan, Task> test)
    {
        var plan = ContractLab.Running(driver.NewSessionId(), driver.Image);
        try
        {
            await driver.ApplyAsync(plan, Ct);
            await test(plan);
        }
        finally
        {
            await Engine.DeleteAsync(plan.SessionId, CancellationToken.None);
        }
    }

    /// <summary>Kind and name of every object labelled with the session, in order.</summary>
    private async Task<List<string>> ListAsync(string sessionId)
    {
        var found = await Engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = sessionId }, Ct);
        Assert.All(found, r => Assert.Equal(sessionId, r.Labels[LabLabels.Session]));
        return found.Select(r => $"{r.Kind}/{r.Name}").Order(StringComparer.Ordinal).ToList();
    }

    private static async Task TypeAsync(ITerminalStream terminal, string keys)
    {
        await terminal.Input.WriteAsync(Encoding.UTF8.GetBytes(keys), Ct);
        await terminal.Input.FlushAsync(Ct);
    }

    private static async Task ReadUntilAsync(Stream stream, StringBuilder screen, string expected)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        while (!screen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, deadline.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"'{expected}' never came back. What came: {screen}");
                return;
            }

            Assert.True(read > 0, $"The stream ended before '{expected}' came back. What came: {screen}");
            screen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
