using System.Text;
using LabOrchestrator.Cli.Terminal;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Cli.Tests.Terminal;

public sealed class TerminalPumpTests
{
    [Fact]
    public async Task Run_KeystrokesAfterTheShellExited_EndQuietly()
    {
        // The shell printed its goodbye and closed the connection before the piped input was all sent.
        var terminal = new ClosedTerminal("logout\r\n");
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes("exit\nmore typing\n"));
        using var stdout = new MemoryStream();

        await TerminalPump.RunAsync(terminal, stdin, stdout, sendEndOfInput: true, TestContext.Current.CancellationToken);

        Assert.Equal("logout\r\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task Run_CopiesInputToTheTerminalAndItsOutputBack()
    {
        var typed = new MemoryStream();
        var terminal = new RecordingTerminal(typed, "prompt$ ");
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes("ls\n"));
        using var stdout = new MemoryStream();

        await TerminalPump.RunAsync(terminal, stdin, stdout, sendEndOfInput: true, TestContext.Current.CancellationToken);

        Assert.Equal("prompt$ ", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("ls\n\u0004", Encoding.UTF8.GetString(typed.ToArray()));
    }

    private sealed class ClosedTerminal(string output) : ITerminalStream
    {
        public Stream Input { get; } = new BrokenPipe();
        public Stream Output { get; } = new MemoryStream(Encoding.UTF8.GetBytes(output));
        public Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Output ends only once input has been typed, as a shell's does after 'exit'.</summary>
    private sealed class RecordingTerminal(MemoryStream typed, string output) : ITerminalStream
    {
        private readonly Pipe pipe = new(typed, output);
        public Stream Input => pipe;
        public Stream Output => pipe.Output;
        public Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Pipe(MemoryStream typed, string output) : MemoryStream
        {

            public Stream Output { get; } = new GatedStream(Encoding.UTF8.GetBytes(output));

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                await typed.WriteAsync(buffer, cancellationToken);
                if (buffer.Span.Contains((byte)4))
                {
                    ((GatedStream)Output).Open();
                }
            }

            private sealed class GatedStream(byte[] bytes) : MemoryStream(bytes)
            {
                private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
                private bool first = true;

                public void Open() => gate.TrySetResult();

                public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
                {
                    if (first)
                    {
                        first = false;
                        return await base.ReadAsync(buffer, cancellationToken);
                    }

                    await gate.Task.WaitAsync(cancellationToken);
                    return await base.ReadAsync(buffer, cancellationToken);
                }
            }
        }
    }

    private sealed class BrokenPipe : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("Broken pipe"));
    }
}
