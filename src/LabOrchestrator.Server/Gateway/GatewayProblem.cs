namespace LabOrchestrator.Server.Gateway;

/// <summary>The problem details (RFC 9457) the gateway's endpoints answer with before a connection is accepted.</summary>
internal static class GatewayProblem
{
    public static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
