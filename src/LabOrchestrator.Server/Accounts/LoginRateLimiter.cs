using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Limits login attempts per remote address and user id (a fixed window). It runs inside the login endpoint rather than as
/// rate-limiting middleware because the user id is in the body, which middleware cannot read before the endpoint does.
/// </summary>
internal sealed class LoginRateLimiter(IOptions<AuthOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.LoginAttempts,
            Window = options.Value.LoginWindow,
            QueueLimit = 0,
        }));

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(HttpContext context, string userId)
    {
        var key = $"{context.Connection.RemoteIpAddress}|{userId.ToLowerInvariant()}";
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.Value.LoginWindow;
    }

    public void Dispose() => limiter.Dispose();
}
