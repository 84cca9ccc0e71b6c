using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>Writing labs: instructors and admins only (the endpoints require <c>Policies.Instructor</c>).</summary>
internal static class LabWriteHandlers
{
    public const string ArchiveField = "archive";

    public static async Task<IResult> PutAsync(string name, HttpRequest request, LabStore store, CancellationToken cancellationToken)
    {
        var result = LabYamlBody.IsYaml(request)
            ? await store.SaveYamlAsync(await LabYamlBody.ReadAsync(request, cancellationToken), name, cancellationToken)
            : await SaveUploadAsync(request, store, name, cancellationToken);
        return Saved(result);
    }

    public static async Task<IResult> PostAsync(HttpRequest request, LabStore store, CancellationToken cancellationToken)
    {
        var result = LabYamlBody.IsYaml(request)
            ? await store.SaveYamlAsync(await LabYamlBody.ReadAsync(request, cancellationToken), null, cancellationToken)
            : await SaveUploadAsync(request, store, null, cancellationToken);
        return Saved(result);
    }

    public static async Task<IResult> PublishAsync(string name, ILabCatalog catalog, CancellationToken cancellationToken) =>
        await SetPublishedAsync(name, true, catalog, cancellationToken);

    public static async Task<IResult> UnpublishAsync(string name, ILabCatalog catalog, CancellationToken cancellationToken) =>
        await SetPublishedAsync(name, false, catalog, cancellationToken);

    public static async Task<IResult> DeleteAsync(string name, LabStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(name, cancellationToken) ? TypedResults.NoContent() : throw LabProblems.NotFound(name);

    private static async Task<IResult> SetPublishedAsync(string name, bool published, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var lab = await catalog.SetPublishedAsync(name, published, cancellationToken) ?? throw LabProblems.NotFound(name);
        return TypedResults.Ok(LabDetails.From(lab));
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

    private static IResult Saved(LabSaveResult result)
    {
        var details = LabDetails.From(result.Lab);
        return result.Created ? TypedResults.Created($"/api/labs/{result.Lab.Name}", details) : TypedResults.Ok(details);
    }
}
