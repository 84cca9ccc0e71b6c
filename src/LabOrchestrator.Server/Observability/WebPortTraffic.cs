using LabOrchestrator.Server.Gateway;
using Microsoft.AspNetCore.Http.Features;

namespace LabOrchestrator.Server.Observability;

/// <summary>
/// Counts a forwarded web-port request's bytes for <see cref="LabMetrics"/>: the request body (to the node), the response
/// body (to the client) and, for WebSockets, both directions of the upgraded stream. Headers are not counted.
/// </summary>
internal static class WebPortTraffic
{
    public static void Count(HttpContext context, GatewayConnection connection)
    {
        context.Request.Body = new CountingStream(context.Request.Body, n => connection.Transferred(toNode: true, n), _ => { });
        context.Response.Body = new CountingStream(context.Response.Body, _ => { }, n => connection.Transferred(toNode: false, n));
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new CountingUpgrade(upgrade, connection));
        }
    }

    private sealed class CountingUpgrade(IHttpUpgradeFeature inner, GatewayConnection connection) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() =>
            new UpgradedStream(await inner.UpgradeAsync(), connection);
    }

    /// <summary>The upgraded connection: unlike the bodies, it is the caller's to close.</summary>
    private sealed class UpgradedStream(Stream inner, GatewayConnection connection) : Stream
    {
        private readonly CountingStream counting = new(inner, n => connection.Transferred(toNode: true, n), n => connection.Transferred(toNode: false, n));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => counting.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => counting.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => counting.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => counting.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => counting.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => counting.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
