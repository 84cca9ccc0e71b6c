using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Pools;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Server.Sessions;

namespace LabOrchestrator.Server.Pools;

internal static class PoolHandlers
{
    public static async Task<IResult> GetAsync(string name, WarmPools pools, CancellationToken cancellationToken) =>
        TypedResults.Ok(await FindAsync(name, pools, cancellationToken));

    public static async Task<IResult> PutAsync(
        string name, HttpContext context, ILabCatalog catalog, PoolSettings settings, WarmPools pools, IAuditLog audit, CancellationToken cancellationToken)
    {
        var body = await SessionJsonBody.ReadAsync<JsonElement>(context.Request, cancellationToken);
        var size = ReadSize(body);
        var lab = await catalog.GetAsync(name, cancellationToken) ?? throw LabProblems.NotFound(name);
        if (size > 0 && PoolEligibility.WhyNot(lab.Definition) is { } why)
        {
            throw new RequestProblemException(StatusCodes.Status422UnprocessableEntity, "Lab cannot be pooled",
                $"Lab '{name}' cannot keep a warm pool: {why}. To fix: {PoolEligibility.Hint}.", "size");
        }

        if (!await settings.SetAsync(lab.Name, size, cancellationToken))
        {
            throw LabProblems.NotFound(name);
        }

        await audit.RecordAsync(context, AuditActions.PoolSizeSet, target: lab.Name, details: size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "lab file",
            cancellationToken: CancellationToken.None);
        pools.Nudge();
        return TypedResults.Ok(await FindAsync(lab.Name, pools, cancellationToken));
    }

    private static int? ReadSize(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request",
                "Send a JSON object such as {\"size\": 2}, or {\"size\": null} to go back to the lab file's pool.size.", "$");
        }

        foreach (var property in body.EnumerateObject().Where(p => p.Name != "size"))
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request",
                $"Unknown field '{property.Name}'; the only field is 'size'.", property.Name);
        }

        if (!body.TryGetProperty("size", out var size) || size.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (size.ValueKind == JsonValueKind.Number && size.TryGetInt32(out var n) && n is >= 0 and <= PoolDefinition.MaxSize)
        {
            return n;
        }

        throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request",
            $"'size' must be a whole number from 0 to {PoolDefinition.MaxSize} (0 keeps no pool), or null to use the lab file's pool.size; found {size.GetRawText()}.", "size");
    }

    private static async Task<PoolStatus> FindAsync(string name, WarmPools pools, CancellationToken cancellationToken) =>
        (await pools.StatusAsync(name, cancellationToken)).FirstOrDefault() ?? throw LabProblems.NotFound(name);
}
