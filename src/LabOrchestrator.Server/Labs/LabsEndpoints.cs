using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Labs;

/// <summary>The labs REST API under <c>/api/labs</c>: list, get, create or update (YAML or archive), publish, delete.</summary>
internal static class LabsEndpoints
{
    public const string Tag = "labs";

    public static IServiceCollection AddLabsApi(this IServiceCollection services)
    {
        services.AddOptions<LabsOptions>().BindConfiguration(LabsOptions.SectionName)
            .Validate(o => o.MaxArchiveEntries > 0, "Labs:MaxArchiveEntries must be positive.")
            .Validate(o => o.MaxArchiveBytes > 0, "Labs:MaxArchiveBytes must be positive.")
            .ValidateOnStart();
        // The library validates the ceilings at start-up; the server binds them from the same "Labs" section.
        services.AddOptions<LabPolicyOptions>().BindConfiguration(LabPolicyOptions.SectionName);
        services.AddSingleton<LabStore>();
        return services;
    }

    public static RouteGroupBuilder MapLabsApi(this RouteGroupBuilder api)
    {
        var labs = api.MapGroup("/labs").WithTags(Tag).RequireAuthorization(Policies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        labs.MapGet("", LabReadHandlers.ListAsync)
            .WithName("ListLabs").WithSummary("List labs")
            .WithDescription("Learners see published labs only. Filters: tag (exact), q (text in name, title or description), published (true/false).")
            .Produces<List<LabSummary>>().ProducesProblem(StatusCodes.Status400BadRequest);
        labs.MapGet("/{name}", LabReadHandlers.GetAsync)
            .WithName("GetLab").WithSummary("Get a lab's definition summary")
            .Produces<LabDetails>().ProducesProblem(StatusCodes.Status404NotFound);

        var writes = labs.MapGroup("").RequireAuthorization(Policies.Instructor)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddEndpointFilter(Pools.PoolEndpoints.NudgeAfterLabChangeAsync);
        writes.MapPut("/{name}", LabWriteHandlers.PutAsync)
            .WithName("PutLab").WithSummary("Create or update a lab from a YAML body or an archive")
            .WithDescription("The file's name must match the URL. New labs start unpublished.")
            .Accepts<string>(LabYamlBody.ContentTypes[0], [.. LabYamlBody.ContentTypes[1..], "multipart/form-data"])
            .Produces<LabDetails>(StatusCodes.Status200OK).Produces<LabDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        writes.MapPost("", LabWriteHandlers.PostAsync)
            .WithName("UploadLab").WithSummary("Create or update a lab from an archive (.tar.gz or .zip) or a YAML body")
            .WithDescription($"Multipart field '{LabWriteHandlers.ArchiveField}': an archive holding lab.yaml at its root or in one top folder, with its guide folder. "
                + "Unsafe entries (absolute paths, '..', links, devices) or oversized contents are refused with 400 and nothing is stored.")
            .Accepts<IFormFile>("multipart/form-data", [.. LabYamlBody.ContentTypes])
            .Produces<LabDetails>(StatusCodes.Status200OK).Produces<LabDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        writes.MapPost("/{name}/publish", LabWriteHandlers.PublishAsync)
            .WithName("PublishLab").WithSummary("Let learners see and start a lab")
            .Produces<LabDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        writes.MapPost("/{name}/unpublish", LabWriteHandlers.UnpublishAsync)
            .WithName("UnpublishLab").WithSummary("Hide a lab from learners; running sessions go on")
            .Produces<LabDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/lab-problems", async (ILabCatalog catalog, CancellationToken cancellationToken) =>
                TypedResults.Ok((await catalog.ListBrokenAsync(cancellationToken)).Select(BrokenLabSummary.From).ToList()))
            .WithTags(Tag).RequireAuthorization(Policies.Instructor)
            .WithName("ListBrokenLabs").WithSummary("Stored labs that no longer pass validation, and why")
            .WithDescription("Labs stored before a limit existed or above a ceiling lowered since are not loaded: learners cannot see or start them. "
                + "Each is listed with every problem (file:line:column); upload a fixed version or delete it.")
            .Produces<List<BrokenLabSummary>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        writes.MapDelete("/{name}", LabWriteHandlers.DeleteAsync)
            .WithName("DeleteLab").WithSummary("Delete a lab and its uploaded folder; running sessions go on")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
