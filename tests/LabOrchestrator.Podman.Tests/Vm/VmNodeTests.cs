using System.Diagnostics;
using System.Text;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests.Vm;

[Collection(PodmanCollection.Name)]
public sealed class VmNodeTests(VmSessionFixture fixture, ITestOutputHelper output) : IClassFixture<VmSessionFixture>
{
    private static readonly TimeSpan BootDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task VmNode_Boots_AndItsSerialConsoleAcceptsACommand()
    {
        await using var terminal = await fixture.Engine.OpenTerminalAsync(fixture.Session, "vm", new TerminalOptions(), TestEngine.Timeout());
        var screen = new StringBuilder();

        await ReadUntilAsync(terminal, screen, "login:", BootDeadline);
        output.WriteLine($"login prompt on the serial console {fixture.SinceApply.Elapsed.TotalSeconds:0.0} s after apply started");
        await TypeAsync(terminal, "root\r");
        await ReadUntilAsync(terminal, screen, "# ", TimeSpan.FromSeconds(60));
        await TypeAsync(terminal, "echo hello-from-vm-$((6*7))\r");

        await ReadUntilAsync(terminal, screen, "hello-from-vm-42", TimeSpan.FromSeconds(60));
        output.WriteLine($"command answered {fixture.SinceApply.Elapsed.TotalSeconds:0.0} s after apply started");
    }

    [Fact]
    public async Task Exec_InVmNode_RunsInTheGuestAndReturnsItsOutputAndExitCode()
    {
        var watch = Stopwatch.StartNew();
        // /sbin/lab-agent is in the guest's root filesystem only, not in the launcher container.
        var result = await fixture.ShAsync("vm", "test -x /sbin/lab-agent && echo in-guest; cat /proc/1/comm; echo to-stderr >&2; exit 3");

        Assert.False(result.TimedOut);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("in-guest\ninit", result.StandardOutput.Trim());
        Assert.Contains("to-stderr", result.StandardError, StringComparison.Ordinal);
        output.WriteLine($"first exec in the VM answered after {watch.Elapsed.TotalSeconds:0.0} s ({fixture.SinceApply.Elapsed.TotalSeconds:0.0} s after apply started)");

        watch.Restart();
        var quoted = await fixture.Engine.ExecAsync(fixture.Session, "vm", ["printf", "%s|", "it's", "a b", "$HOME"], TimeSpan.FromSeconds(60), TestEngine.Timeout());
        Assert.Equal("it's|a b|$HOME|", quoted.StandardOutput);
        Assert.Equal(0, quoted.ExitCode);
        output.WriteLine($"second exec in the booted VM took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Exec_InVmNode_TimesOutAndTheNextCommandStillRuns()
    {
        await fixture.ShAsync("vm", "true");

        var slow = await fixture.ShAsync("vm", "sleep 60", timeoutSeconds: 3);
        var next = await fixture.ShAsync("vm", "echo next");

        Assert.True(slow.TimedOut);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal("next", next.StandardOutput.Trim());
    }

    [Fact]
    public async Task ContainerAndVm_OnOneNetwork_PingEachOtherByName()
    {
        // The guest learns the node names from the launcher (its /etc/hosts), once it has booted. The launcher writes
        // it through the guest's agent, which runs one command at a time: ask again and again, never wait inside it.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await fixture.ShAsync("vm", "grep -q peer /etc/hosts", timeoutSeconds: 60)).ExitCode != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        var fromVm = await fixture.ShAsync("vm", "ping -c 2 -W 2 peer");
        var fromContainer = await fixture.ShAsync("peer", "ping -c 2 -W 2 vm", timeoutSeconds: 30);

        Assert.True(fromVm.ExitCode == 0, $"VM → peer: {fromVm.StandardOutput}{fromVm.StandardError}");
        Assert.True(fromContainer.ExitCode == 0, $"peer → VM: {fromContainer.StandardOutput}{fromContainer.StandardError}");
    }

    [Fact]
    public async Task Desktop_OfVmNode_SpeaksRfb()
    {
        await using var desktop = await fixture.Engine.OpenDesktopAsync(fixture.Session, "vm", TestEngine.Timeout());
        var greeting = new byte[12];
        var read = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (read < greeting.Length)
        {
            var n = await desktop.ReadAsync(greeting.AsMemory(read), deadline.Token);
            Assert.True(n > 0, "The desktop stream ended before the RFB greeting.");
            read += n;
        }

        Assert.StartsWith("RFB 003.", Encoding.ASCII.GetString(greeting), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_VmSession_LeavesNoPodsContainersNetworksOrVolumes()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var selector = new Dictionary<string, string> { [LabLabels.Session] = session };
        try
        {
            await engine.ApplyAsync(TestLabs.Compile(VmLabs.VmAndContainer(), session), null, TestEngine.Timeout());
            var running = await engine.ListAsync(selector, TestEngine.Timeout());
            Assert.Contains(running, r => r.Kind == "volume" && r.Name == PodmanNames.DiskVolume(session, "vm"));
            Assert.All(await engine.GetStatusAsync(session, TestEngine.Timeout()), s => Assert.Equal(NodeState.Running, s.State));

            await engine.DeleteAsync(session, TestEngine.Timeout());

            Assert.Empty(await engine.ListAsync(selector, TestEngine.Timeout()));
            Assert.Empty(await PodmanCli.LabelledAsync($"{LabLabels.Session}={session}"));
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }

    private static async Task TypeAsync(ITerminalStream terminal, string keys)
    {
        await terminal.Input.WriteAsync(Encoding.UTF8.GetBytes(keys), TestEngine.Timeout(10));
        await terminal.Input.FlushAsync(TestEngine.Timeout(10));
    }

    private static async Task ReadUntilAsync(ITerminalStream terminal, StringBuilder screen, string expected, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        var start = screen.Length;
        while (screen.ToString(start, screen.Length - start).IndexOf(expected, StringComparison.Ordinal) < 0)
        {
            int read;
            try
            {
                read = await terminal.Output.ReadAsync(buffer, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The console never printed '{expected}' within {timeout.TotalSeconds:0} s. It printed: {screen}");
                return;
            }

            Assert.True(read > 0, $"The console ended before printing '{expected}'. It printed: {screen}");
            screen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
