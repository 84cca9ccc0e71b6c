using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>The engine's log messages. Environment values and credentials never appear in them.</summary>
internal static partial class PodmanLog
{
    [LoggerMessage(1, LogLevel.Information, "Starting '{Podman} system service' on {Socket}")]
    public static partial void ServiceStarting(ILogger logger, string podman, string socket);

    [LoggerMessage(2, LogLevel.Information, "Podman service answers on {Socket} after {ElapsedMs:0} ms")]
    public static partial void ServiceStarted(ILogger logger, string socket, double elapsedMs);

    [LoggerMessage(3, LogLevel.Information, "Created network {Network} ({Subnet}) for session {SessionId}")]
    public static partial void NetworkCreated(ILogger logger, string network, string subnet, string sessionId);

    [LoggerMessage(4, LogLevel.Information, "Played pod {Pod} for node {Node} of session {SessionId}")]
    public static partial void PodPlayed(ILogger logger, string pod, string node, string sessionId);

    [LoggerMessage(5, LogLevel.Information, "Session {SessionId} runs {Count} node(s) after {ElapsedMs:0} ms")]
    public static partial void SessionRunning(ILogger logger, string sessionId, int count, double elapsedMs);

    [LoggerMessage(6, LogLevel.Warning, "Node {Node} of session {SessionId} failed: {Reason}")]
    public static partial void NodeFailed(ILogger logger, string node, string sessionId, string reason);

    [LoggerMessage(7, LogLevel.Information, "Deleted session {SessionId}: {Pods} pod(s), {Containers} container(s), {Networks} network(s), {Volumes} volume(s)")]
    public static partial void SessionDeleted(ILogger logger, string sessionId, int pods, int containers, int networks, int volumes);

    [LoggerMessage(8, LogLevel.Warning, "Command in node {Node} of session {SessionId} timed out after {TimeoutMs:0} ms; killing it")]
    public static partial void ExecTimedOut(ILogger logger, string node, string sessionId, double timeoutMs);

    [LoggerMessage(9, LogLevel.Debug, "Could not kill timed-out exec process {Pid}: {Reason}")]
    public static partial void ExecKillFailed(ILogger logger, int pid, string reason);

    [LoggerMessage(10, LogLevel.Information, "Opened terminal in node {Node} of session {SessionId}")]
    public static partial void TerminalOpened(ILogger logger, string node, string sessionId);

    [LoggerMessage(11, LogLevel.Information, "Installed the iptables chains ({Chain} and others) that keep nodes away from the host and from other sessions")]
    public static partial void FirewallInstalled(ILogger logger, string chain);

    [LoggerMessage(12, LogLevel.Warning, "Not root, or no iptables/ip6tables(-restore): nodes are kept from the host and each other by netavark's isolation only, which netavark 1.4 drops when any isolated network is torn down")]
    public static partial void FirewallUnavailable(ILogger logger);

    [LoggerMessage(13, LogLevel.Information, "Switched route_localnet off on bridge {Bridge}: it let nodes reach the host's loopback services")]
    public static partial void RouteLocalnetReset(ILogger logger, string bridge);

    [LoggerMessage(14, LogLevel.Warning, "No default seccomp profile at {Paths}: nodes may create user namespaces")]
    public static partial void SeccompProfileMissing(ILogger logger, string paths);

    [LoggerMessage(15, LogLevel.Warning, "The Podman service on {Socket} is not the engine's own: its containers.conf decides nodes' pids limit, seccomp profile and ping sysctl")]
    public static partial void ExternalService(ILogger logger, string socket);
}
