using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Limits logins in fixed windows on two levels: attempts per client address and user id (guessing one user's password),
/// and failed attempts per client address across all user ids (spraying one password over many users; IPv6 clients count
/// per /64, which one host usually holds whole). It runs inside the login endpoint rather than as rate-limiting
/// middleware because the user id is in the body. Time comes from <see cref="TimeProvider"/>, so tests move a fake clock.
/// </summary>
internal sealed class LoginRateLimiter(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Above this many counters, expired ones are dropped, so that many addresses and ids cannot grow memory for good.</summary>
    private const int PruneAbove = 10_000;

    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> windows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Null when the attempt may go ahead (and counts it); otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(HttpContext context, string userId)
    {
        var settings = options.Value;
        var address = AddressKey(context.Connection.RemoteIpAddress);
        var now = time.GetUtcNow();
        lock (gate)
        {
            Prune(now);
            if (Blocked(AddressKeyOf(address), settings.AddressLoginFailures, settings.AddressLoginWindow, now) is { } sprayWait)
            {
                return sprayWait;
            }

            var key = $"u|{address}|{UserKey(userId)}";
            if (Blocked(key, settings.LoginAttempts, settings.LoginWindow, now) is { } wait)
            {
                return wait;
            }

            Count(key, settings.LoginWindow, now);
            return null;
        }
    }

    /// <summary>Counts a failed login against the client's address.</summary>
    public void RecordFailure(HttpContext context)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            Count(AddressKeyOf(AddressKey(context.Connection.RemoteIpAddress)), options.Value.AddressLoginWindow, now);
        }
    }

    private TimeSpan? Blocked(string key, int limit, TimeSpan window, DateTimeOffset now) =>
        windows.TryGetValue(key, out var w) && now - w.Start < window && w.Count >= limit ? w.Start + window - now : null;

    private void Count(string key, TimeSpan window, DateTimeOffset now)
    {
        windows[key] = windows.TryGetValue(key, out var w) && now - w.Start < window ? (w.Start, w.Count + 1) : (now, 1);
    }

    private void Prune(DateTimeOffset now)
    {
        if (windows.Count <= PruneAbove)
        {
            return;
        }

        var longest = options.Value.LoginWindow > options.Value.AddressLoginWindow ? options.Value.LoginWindow : options.Value.AddressLoginWindow;
        foreach (var (key, w) in windows.Where(w => now - w.Value.Start >= longest).ToList())
        {
            windows.Remove(key);
        }
    }

    private static string AddressKeyOf(string address) => $"a|{address}";

    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "-";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Ids ignore case; an overlong "id" (perhaps a pasted password) is only ever kept as a hash.</summary>
    private static string UserKey(string userId) =>
        userId.Length <= 64 ? userId.ToLowerInvariant() : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));
}
