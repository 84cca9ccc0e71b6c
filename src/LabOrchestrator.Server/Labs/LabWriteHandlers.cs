using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Audit;

namespace LabOrchestrator.Server.Labs;

/// <summary>Writing labs: instructors and admins only (the endpoints require <c>Policies.Instructor</c>).</summary>
internal static class LabWriteHandlers
{
    public const string ArchiveField = "archive";

    public static async Task<IResult> PutAsync(string name, HttpRequest request, LabStore store, ILabEngines engines, IAuditLog audit, CancellationToken cancellationToken)
    {
        var result = LabYamlBody.IsYaml(request)
            ? await store.SaveYamlAsync(await LabYamlBody.ReadAsync(request, cancellationToken), name, cancellationToken)
            : await SaveUploadAsync(request, store, name, cancellationToken);
        await audit.RecordAsync(request.HttpContext, AuditActions.LabUploaded, target: result.Lab.Name, details: result.Created ? "created" : "updated", cancellationToken: CancellationToken.None);
        return await SavedAsync(result, engines, cancellationToken);
    }

    public static async Task<IResult> PostAsync(HttpRequest request, LabStore store, ILabEngines engines, IAuditLog audit, CancellationToken cancellationToken)
    {
        var result = LabYamlBody.IsYaml(request)
            ? await store.SaveYamlAsync(await LabYamlBody.ReadAsync(request, cancellationToken), null, cancellationToken)
            : await SaveUploadAsync(request, store, null, cancellationToken);
        await audit.RecordAsync(request.HttpContext, AuditActions.LabUploaded, target: result.Lab.Name, details: result.Created ? "created" : "updated", cancellationToken: CancellationToken.None);
        return await SavedAsync(result, engines, cancellationToken);
    }

    public static async Task<IResult> PublishAsync(string name, HttpContext context, ILabCatalog catalog, ILabEngines engines, IAuditLog audit, CancellationToken cancellationToken)
    {
        var lab = await catalog.SetPublishedAsync(name, true, cancellationToken) ?? throw LabProblems.NotFound(name);
        await audit.RecordAsync(context, AuditActions.LabPublished, target: name, cancellationToken: CancellationToken.None);
        return TypedResults.Ok(LabDetails.From(lab) with { Warnings = await LabImageCheck.CheckAsync(lab.Definition, engines.Default, cancellationToken) });
    }

    public static async Task<IResult> UnpublishAsync(string name, HttpContext context, ILabCatalog catalog, IAuditLog audit, CancellationToken cancellationToken)
    {
        var lab = await catalog.SetPublishedAsync(name, false, cancellationToken) ?? throw LabProblems.NotFound(name);
        await audit.RecordAsync(context, AuditActions.LabUnpublished, target: name, cancellationToken: CancellationToken.None);
        return TypedResults.Ok(LabDetails.From(lab));
    }

    public static async Task<IResult> DeleteAsync(string name, HttpContext context, LabStore store, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(name, cancellationToken))
        {
            throw LabProblems.NotFound(name);
        }

        await audit.RecordAsync(context, AuditActions.LabDeleted, target: name, cancellationToken: CancellationToken.None);
        return TypedResults.NoContent();
    }

    private static async Task<LabSaveResult> SaveUploadAsync(HttpRequest request, LabStore store, string? expectedName, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw LabProblems.UnsupportedMediaType(request.ContentType, $"{LabYamlBody.Expected}, or a .tar.gz or .zip archive as multipart/form-data field '{ArchiveField}'");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException)
        {
            // A damaged multipart body (truncated, bad boundary, no final boundary) is the client's fault: 400, not 500.
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Bad request", $"The multipart body could not be read: {e.Message}");
        }

        var file = form.Files[ArchiveField] ?? (form.Files.Count == 1 ? form.Files[0] : null)
            ?? throw new RequestProblemException(StatusCodes.Status400BadRequest, "Bad request", $"Send the archive as the multipart field '{ArchiveField}'.", ArchiveField);
        await using var archive = file.OpenReadStream();
        return await store.SaveArchiveAsync(archive, expectedName, cancellationToken);
    }

    private static async Task<IResult> SavedAsync(LabSaveResult result, ILabEngines engines, CancellationToken cancellationToken)
    {
        var details = LabDetails.From(result.Lab) with { Warnings = await LabImageCheck.CheckAsync(result.Lab.Definition, engines.Default, cancellationToken) };
        return result.Created ? TypedResults.Created($"/api/labs/{result.Lab.Name}", details) : TypedResults.Ok(details);
    }
}
