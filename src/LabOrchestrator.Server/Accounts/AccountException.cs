namespace LabOrchestrator.Server.Accounts;

/// <summary>A request about accounts that cannot be done; <see cref="Field"/> names the field of the request body at fault.</summary>
public sealed class AccountException(string message, string? field = null, int statusCode = 400) : Exception(message)
{
    public string? Field { get; } = field;
    public int StatusCode { get; } = statusCode;
}
